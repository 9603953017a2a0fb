import type { Protocol } from "./discover.ts";

/** Outcome of a pair. See the state schema for what each means. */
export type PairStatus =
  | "sent"
  | "removed"
  | "already-registered"
  | "rejected"
  | "no-endpoint"
  | "failed"
  | "baseline"
  | "skipped";

export const PAIR_STATUSES: readonly PairStatus[] = [
  "sent",
  "removed",
  "already-registered",
  "rejected",
  "no-endpoint",
  "failed",
  "baseline",
  "skipped",
];

/** Why a pair was (or is to be) notified: the life of the link. */
export type PairChange = "new" | "removed" | "page-deleted" | "page-changed";

/** The link is no longer on the site: taken out of a page that still exists, or its page deleted. */
export type PairGone = "removed" | "page-deleted";

/** One pair in `state.json`. Times are ISO 8601 UTC. */
export interface StateEntry {
  source: string;
  target: string;
  status: PairStatus;
  /** The protocol of the last attempt's endpoint (absent: none found yet, or a version 1 state). */
  protocol?: Protocol;
  endpoint?: string;
  /** Webmention: the status URL a 201/202 answer gave in `Location`. */
  statusUrl?: string;
  /** Why the last notification was sent. */
  change?: PairChange;
  /** The link is gone from the site (the pair stays, so nothing is forgotten). */
  gone?: PairGone;
  /** The source page's content fingerprint (manifest `contentHash`) when last notified or recorded. */
  sourceHash?: string;
  /** When the send run first saw the source page's current content. */
  sourceChangedAt?: string;
  faultCode?: number;
  httpStatus?: number;
  message?: string;
  attempts: number;
  firstSeenAt: string;
  firstAttemptAt?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
}

/** A target's pingback endpoint as discovered, kept so a later run need not fetch it again. */
export interface EndpointRecord {
  target: string;
  endpoint: string;
  /** Absent in version 1 states: pingback. */
  protocol?: Protocol;
  discoveredAt: string;
}

/** The version written; version 1 (Pingback only) is read and upgraded on the next write. */
export const STATE_VERSION = 2;

/** `state.json`. */
export interface StateFile {
  version: 1 | 2;
  pairs: StateEntry[];
  /** Sorted by target; absent when empty. */
  endpoints?: EndpointRecord[];
}

export const STATE_FILE = "state.json";
export const LOCK_FILE = "state.lock";
/** Append-only log of entries recorded since state.json was last written. */
export const JOURNAL_FILE = "state.journal";
/** Journal lines that were not state entries, kept for the user when the journal is folded. */
export const SKIPPED_LINES_FILE = "state.journal.skipped";

export function pairKey(source: string, target: string): string {
  return `${source}\n${target}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Fixed key order and no undefined fields, so the same state gives the same bytes. */
export function canonicalEntry(entry: StateEntry): StateEntry {
  const out: StateEntry = {
    source: entry.source,
    target: entry.target,
    status: entry.status,
    attempts: entry.attempts,
    firstSeenAt: entry.firstSeenAt,
  };
  if (entry.protocol !== undefined) out.protocol = entry.protocol;
  if (entry.endpoint !== undefined) out.endpoint = entry.endpoint;
  if (entry.statusUrl !== undefined) out.statusUrl = entry.statusUrl;
  if (entry.change !== undefined) out.change = entry.change;
  if (entry.gone !== undefined) out.gone = entry.gone;
  if (entry.sourceHash !== undefined) out.sourceHash = entry.sourceHash;
  if (entry.sourceChangedAt !== undefined) out.sourceChangedAt = entry.sourceChangedAt;
  if (entry.faultCode !== undefined) out.faultCode = entry.faultCode;
  if (entry.httpStatus !== undefined) out.httpStatus = entry.httpStatus;
  if (entry.message !== undefined) out.message = entry.message;
  if (entry.firstAttemptAt !== undefined) out.firstAttemptAt = entry.firstAttemptAt;
  if (entry.lastAttemptAt !== undefined) out.lastAttemptAt = entry.lastAttemptAt;
  if (entry.nextAttemptAt !== undefined) out.nextAttemptAt = entry.nextAttemptAt;
  return out;
}

/** Sorted by source then target (code-unit order: locale-independent); endpoints by target. */
export function toStateFile(
  entries: Iterable<StateEntry>,
  endpoints: Iterable<EndpointRecord> = [],
): StateFile {
  const pairs = [...entries]
    .map(canonicalEntry)
    .sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target));
  const known = [...endpoints]
    .map(({ target, endpoint, protocol, discoveredAt }) =>
      protocol === undefined
        ? { target, endpoint, discoveredAt }
        : { target, endpoint, protocol, discoveredAt },
    )
    .sort((a, b) => compare(a.target, b.target));
  return known.length > 0
    ? { version: STATE_VERSION, pairs, endpoints: known }
    : { version: STATE_VERSION, pairs };
}
