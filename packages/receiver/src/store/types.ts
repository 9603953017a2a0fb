/** Moderation state of a stored pingback; only `approved` ones are exported. */
export type PingbackStatus = "pending" | "approved" | "rejected" | "spam";

export const PINGBACK_STATUSES: readonly PingbackStatus[] = [
  "pending",
  "approved",
  "rejected",
  "spam",
];

/**
 * Where verification of the source stands. `queued`: accepted with a "queued"
 * answer and still being verified (resumed after a restart); `failed`: the
 * background verification found no link or no source; `skipped`: stored
 * without fetching (blocklisted source host).
 */
export type VerificationState = "verified" | "queued" | "failed" | "skipped";

/** What the receiver shows about the citing post, extracted from its HTML. */
export interface CitingPost {
  title: string | null;
  authorName: string | null;
  authorUrl: string | null;
  /** ISO 8601, or null when the page does not say. */
  published: string | null;
  lang: string | null;
  /** Short plain text around the link. */
  excerpt: string | null;
}

export interface NewPingback {
  source: string;
  target: string;
  status: PingbackStatus;
  verification: VerificationState;
  /** Requester address, kept for abuse tracing. */
  clientIp: string | null;
  post: CitingPost | null;
  /** ISO 8601; defaults to now. */
  receivedAt?: string;
  /** Set when `status` is a person's decision carried over (a re-ping of a moderated row). */
  moderatedAt?: string | null;
}

export interface StoredPingback {
  id: number;
  source: string;
  target: string;
  sourceHost: string;
  status: PingbackStatus;
  verification: VerificationState;
  /** Fault code of a failed background verification. */
  faultCode: number | null;
  clientIp: string | null;
  post: CitingPost;
  receivedAt: string;
  updatedAt: string;
  /**
   * When a person last set the status (moderation), or null: a status a person
   * set is never changed by verification or by a re-ping.
   */
  moderatedAt: string | null;
}

export interface ListQuery {
  status?: PingbackStatus;
  /** Only verified rows (what may be exported). */
  verifiedOnly?: boolean;
  target?: string;
  /** Only rows from this source host (lower case). */
  sourceHost?: string;
  /** Received strictly after this ISO time. */
  since?: string;
  limit?: number;
  offset?: number;
  /** Newest first (default) or oldest first. */
  order?: "desc" | "asc";
}

/**
 * The persistence a receiver needs. Methods may be synchronous or return
 * promises, so a store for a Fetch-API runtime (KV, Postgres, …) fits; every
 * write must be durable when it resolves, because the success answer follows it.
 */
export interface PingbackStore {
  find(
    source: string,
    target: string,
  ): StoredPingback | undefined | Promise<StoredPingback | undefined>;
  /** Inserts unless (source, target) exists; `inserted: false` returns the existing row's id. */
  insert(
    pingback: NewPingback,
  ): { id: number; inserted: boolean } | Promise<{ id: number; inserted: boolean }>;
  /**
   * Optional: inserts several in one transaction (one disk sync), each result
   * as `insert` would give it. The receiver uses it for group commit.
   */
  insertMany?(
    pingbacks: readonly NewPingback[],
  ): Array<{ id: number; inserted: boolean }> | Promise<Array<{ id: number; inserted: boolean }>>;
  /**
   * Records the outcome of a verification (background or retried). A successful
   * outcome's `status` applies only while no person has set the row's status.
   */
  completeVerification(
    id: number,
    outcome:
      | { ok: true; status: PingbackStatus; post: CitingPost }
      | { ok: false; faultCode: number },
  ): void | Promise<void>;
  list(query?: ListQuery): StoredPingback[] | Promise<StoredPingback[]>;
  count(query?: ListQuery): number | Promise<number>;
  /** A person's decision: sets the status of the given ids (and `moderatedAt`); returns the ids that exist. */
  setStatus(ids: readonly number[], status: PingbackStatus): number[] | Promise<number[]>;
  remove(ids: readonly number[]): number[] | Promise<number[]>;
  /**
   * Optional: deletes rows whose verification failed, last changed before
   * `updatedBefore` (ISO), that no person has moderated; returns how many.
   */
  pruneFailed?(updatedBefore: string): number | Promise<number>;
  /** Rows accepted as `queued` whose verification has not finished. */
  queued(): StoredPingback[] | Promise<StoredPingback[]>;
  /** ISO time of the last change that can alter the export. */
  lastChange(): string | Promise<string>;
  close(): void | Promise<void>;
}
