import type { Jf2Entry, ReceivedEntry } from "@static-pingback/core/received";
import { normalizeEntry } from "@static-pingback/core/received";
import { boundPost } from "../store/field-caps.ts";
import {
  MENTION_PROPERTIES,
  type MentionProperty,
  type NewPingback,
  type PingbackStore,
} from "../store/types.ts";

export interface ImportResult {
  /** Stored now. */
  added: number;
  /** Already there (same source and target): left as they are. */
  known: number;
  /** Not mentions (no http(s) source or target): left out. */
  skipped: number;
}

function property(value: string): MentionProperty {
  return MENTION_PROPERTIES.includes(value as MentionProperty)
    ? (value as MentionProperty)
    : "mention-of";
}

/** A JF2 entry, already vetted by core's normalizeEntry, as an approved mention. */
export function mentionFromEntry(entry: ReceivedEntry, importedAt: string): NewPingback {
  const kind = property(entry.property);
  return {
    protocol: entry.protocol === "pingback" ? "pingback" : "webmention",
    source: entry.source,
    target: entry.target,
    status: "approved",
    verification: "verified",
    clientIp: null,
    receivedAt: entry.received ?? importedAt,
    // The owner approved it where it was: a decision the receiver keeps.
    moderatedAt: importedAt,
    post: boundPost({
      title: entry.title,
      authorName: entry.author?.name ?? null,
      authorUrl: entry.author?.url ?? null,
      authorPhoto: entry.author?.photo ?? null,
      published: entry.published,
      lang: entry.lang,
      excerpt: kind === "in-reply-to" ? (entry.excerpt ?? null) : null,
      property: kind,
    }),
  };
}

/**
 * Brings mentions over from a JF2 feed (webmention.io's export, or our own): each as
 * approved, its protocol kept. Idempotent: a (source, target) already stored is left alone.
 */
export async function importEntries(
  store: PingbackStore,
  entries: Iterable<Jf2Entry>,
  now = new Date(),
): Promise<ImportResult> {
  const result: ImportResult = { added: 0, known: 0, skipped: 0 };
  const importedAt = now.toISOString();
  for (const raw of entries) {
    const entry = typeof raw === "object" && raw !== null ? normalizeEntry(raw) : null;
    if (!entry) {
      result.skipped++;
      continue;
    }
    const { inserted } = await store.insert(mentionFromEntry(entry, importedAt));
    if (inserted) result.added++;
    else result.known++;
  }
  return result;
}
