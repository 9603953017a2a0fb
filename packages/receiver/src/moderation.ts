import type { PingbackStatus, PingbackStore, StoredPingback } from "./store/types.ts";

export type ModerationAction = "approve" | "reject" | "spam" | "pending" | "delete";

const STATUS_OF: Record<Exclude<ModerationAction, "delete">, PingbackStatus> = {
  approve: "approved",
  reject: "rejected",
  spam: "spam",
  pending: "pending",
};

export interface ModerationResult {
  changed: number[];
  /** Ids that are not in the store. */
  missing: number[];
}

/** Parses "12", "12,13" and repeated ids; throws with the offending value. */
export function parseIds(values: readonly string[]): number[] {
  const ids: number[] = [];
  for (const value of values.flatMap((v) => v.split(","))) {
    const trimmed = value.trim();
    if (trimmed === "") continue;
    if (!/^\d{1,15}$/.test(trimmed)) throw new Error(`not a pingback id: ${JSON.stringify(value)}`);
    ids.push(Number(trimmed));
  }
  return [...new Set(ids)];
}

/** Applies a moderation action to ids; approving makes them visible in the export. */
export async function moderate(
  store: PingbackStore,
  action: ModerationAction,
  ids: readonly number[],
): Promise<ModerationResult> {
  const changed =
    action === "delete" ? await store.remove(ids) : await store.setStatus(ids, STATUS_OF[action]);
  const done = new Set(changed);
  return { changed, missing: ids.filter((id) => !done.has(id)) };
}

/** What an action did, for messages: "approved", "marked as spam", … */
export const ACTION_DONE: Record<ModerationAction, string> = {
  approve: "approved",
  reject: "rejected",
  spam: "marked as spam",
  pending: "set back to pending",
  delete: "deleted",
};

/**
 * The `check` column: how verification of the source stands ("failed (16)" with its fault,
 * "deleted (gone)" with why a Webmention update removed it), and "webmention" for that protocol.
 */
function checkColumn(p: StoredPingback): string {
  const protocol = p.protocol === "webmention" ? " webmention" : "";
  if (p.verification === "failed" && p.faultCode !== null) {
    return `failed (${p.faultCode})${protocol}`;
  }
  if (p.verification === "deleted" && p.reason) return `deleted (${p.reason})${protocol}`;
  return `${p.verification}${protocol}`;
}

/** Rows for `moderate list`: id, status, verification, received, source, target, title. */
export function moderationRows(pingbacks: readonly StoredPingback[]): string[][] {
  return pingbacks.map((p) => [
    String(p.id),
    p.status,
    checkColumn(p),
    p.receivedAt.slice(0, 16).replace("T", " "),
    p.source,
    p.target,
    p.post.title ?? "",
  ]);
}

export const MODERATION_HEADER = [
  "id",
  "status",
  "check",
  "received",
  "source",
  "target",
  "title",
] as const;
