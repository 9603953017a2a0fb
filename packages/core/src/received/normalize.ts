import { isJsonObject } from "../files/is-json-object.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";
import { cleanText, httpUrl, isoDate, languageTag } from "./text.ts";
import type { Jf2Entry, Jf2Feed, ReceivedEntry } from "./types.ts";

/** Stored lengths: generous, the renderer cuts shorter for display. */
export const STORED_TITLE_LENGTH = 500;
export const STORED_NAME_LENGTH = 200;
export const STORED_EXCERPT_LENGTH = 1000;

/** What normalising a feed gives: the usable entries and how many were dropped. */
export interface NormalizedFeed {
  entries: ReceivedEntry[];
  dropped: number;
}

/**
 * Checks the feed envelope against the jf2 schema (throws PingbackFileError naming
 * `origin`), then vets each entry: those without an http(s) source and target are
 * dropped. Duplicates (same source and target) keep the latest received. Entries
 * are sorted oldest first (published, else received), then by source.
 */
export function normalizeFeed(value: unknown, origin: string): NormalizedFeed {
  const feed = assertMatchesSchema<Jf2Feed>("jf2", value, origin);
  const byPair = new Map<string, ReceivedEntry>();
  let dropped = 0;
  for (const raw of feed.children) {
    const entry = normalizeEntry(raw);
    if (!entry) {
      dropped++;
      continue;
    }
    const key = `${entry.source}\n${entry.target}`;
    const seen = byPair.get(key);
    if (seen) dropped++;
    if (!seen || (entry.received ?? "") >= (seen.received ?? "")) byPair.set(key, entry);
  }
  const entries = [...byPair.values()].sort(compareEntries);
  return { entries, dropped };
}

/** One JF2 entry, vetted; null when it lacks a usable source or target. */
export function normalizeEntry(raw: Jf2Entry): ReceivedEntry | null {
  const source = httpUrl(raw["wm-source"]) ?? httpUrl(raw.url);
  const target = httpUrl(raw["wm-target"]);
  if (!source || !target) return null;
  const excerpt = contentText(raw.content);
  return {
    ...(excerpt ? { excerpt } : {}),
    source,
    target,
    protocol: (cleanText(raw["wm-protocol"], 32) ?? "").toLowerCase(),
    property: cleanText(raw["wm-property"], 64) ?? "",
    received: isoDate(raw["wm-received"]),
    published: isoDate(raw.published),
    title: cleanText(raw.name, STORED_TITLE_LENGTH),
    author: normalizeAuthor(raw.author),
    lang: languageTag(raw.lang),
  };
}

function normalizeAuthor(value: unknown): ReceivedEntry["author"] {
  if (!isJsonObject(value)) return null;
  const name = cleanText(value.name, STORED_NAME_LENGTH);
  const url = httpUrl(value.url);
  const photo = httpUrl(value.photo);
  if (!name && !url) return null;
  return photo ? { name, url, photo } : { name, url };
}

/** `content.text` (webmention.io's plain text), else a string `content`; cleaned and capped. */
function contentText(value: unknown): string | null {
  const text = isJsonObject(value) ? value.text : value;
  return cleanText(text, STORED_EXCERPT_LENGTH);
}

function compareEntries(a: ReceivedEntry, b: ReceivedEntry): number {
  const dateA = a.published ?? a.received ?? "";
  const dateB = b.published ?? b.received ?? "";
  if (dateA !== dateB) return dateA < dateB ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.target < b.target ? -1 : a.target > b.target ? 1 : 0;
}
