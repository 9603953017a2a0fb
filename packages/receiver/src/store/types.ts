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
 * without fetching (blocklisted source host); `deleted`: a verified mention
 * whose source later answered 410, lost the link, or kept answering 404 (out
 * of the export, kept so moderation history is not lost).
 */
export type VerificationState = "verified" | "queued" | "failed" | "skipped" | "deleted";

/** The protocol a mention arrived by. */
export type MentionProtocol = "pingback" | "webmention";

/** The kind of response, as webmention.io names it in JF2 (`wm-property`). */
export type MentionProperty =
  | "in-reply-to"
  | "like-of"
  | "repost-of"
  | "bookmark-of"
  | "mention-of";

export const MENTION_PROPERTIES: readonly MentionProperty[] = [
  "in-reply-to",
  "like-of",
  "repost-of",
  "bookmark-of",
  "mention-of",
];

/** What the receiver shows about the citing post, extracted from its HTML. */
export interface CitingPost {
  title: string | null;
  authorName: string | null;
  authorUrl: string | null;
  /** ISO 8601, or null when the page does not say. */
  published: string | null;
  lang: string | null;
  /**
   * Plain text: for a reply, the start of its `e-content`; for a page without
   * microformats, the text around the link; else null.
   */
  excerpt: string | null;
  /** Kind of response (microformats2 of the entry linking to the target); default `mention-of`. */
  property?: MentionProperty;
  /** The author's h-card `u-photo`, stored as a URL; the renderer decides whether to show it. */
  authorPhoto?: string | null;
}

export interface NewPingback {
  /** Default "pingback". */
  protocol?: MentionProtocol;
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
  /** The secret part of the Webmention status URL. */
  statusKey?: string | null;
}

export interface StoredPingback {
  id: number;
  /** How it arrived first. */
  protocol: MentionProtocol;
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
  /** Why verification failed or the mention was deleted ("no-link", "gone", …). */
  reason: string | null;
  /** Since when the source answers 404 (a 404 counts as gone once it persisted `goneAfterMs`). */
  goneSince: string | null;
  /** The secret part of the Webmention status URL, or null. */
  statusKey: string | null;
}

/** A stored mention: one record for both protocols. */
export type StoredMention = StoredPingback;

export interface ListQuery {
  status?: PingbackStatus;
  /** Only verified rows (what may be exported). */
  verifiedOnly?: boolean;
  target?: string;
  /** Only rows from this source host (lower case). */
  sourceHost?: string;
  /** Only the mention with this id. */
  id?: number;
  /** Only mentions removed as gone (`true`), or only the others (`false`). */
  deleted?: boolean;
  /** Received strictly after this ISO time. */
  since?: string;
  limit?: number;
  offset?: number;
  /** Newest first (default) or oldest first. */
  order?: "desc" | "asc";
}

/** How a verification ended, as the store records it. */
export type VerificationOutcome =
  | { ok: true; status: PingbackStatus; post: CitingPost }
  | { ok: false; faultCode: number; reason?: string };

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
  completeVerification(id: number, outcome: VerificationOutcome): void | Promise<void>;
  /**
   * Optional: records several outcomes in one transaction (one disk sync), each as
   * `completeVerification` would. The receiver uses it for group commit.
   */
  completeMany?(
    outcomes: readonly { id: number; outcome: VerificationOutcome }[],
  ): void | Promise<void>;
  /** A mention's status URL key, or undefined. */
  findByStatusKey(key: string): StoredPingback | undefined | Promise<StoredPingback | undefined>;
  /**
   * A repeat Webmention of a known pair: sets the status key (when the row has
   * none) and, unless the row is verified or deleted (it stays as it is while re-checked), `queued`.
   */
  requeue(id: number, statusKey: string): void | Promise<void>;
  /** The source is gone or lost the link: out of the export, kept as `deleted` with `reason`. */
  markDeleted(id: number, reason: string): void | Promise<void>;
  /** Records since when the source answers 404 (null: it answers again). */
  markGone(id: number, since: string | null): void | Promise<void>;
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
  /** Optional: the trusted and blocked hosts kept in the store (see HostRules). */
  hostRules?(): HostRule[] | Promise<HostRule[]>;
  /** Optional: sets (or, with null, forgets) the rule for a host; `onlyIfAbsent` keeps an existing one. */
  setHostRule?(
    host: string,
    rule: Omit<HostRule, "host" | "createdAt"> | null,
    onlyIfAbsent?: boolean,
  ): void | Promise<void>;
  /**
   * Optional: deletes every mention by this author (h-card URL) or from this source host,
   * with all their fields; returns how many (a deletion request).
   */
  erase?(who: { authorUrl: string } | { host: string }): number | Promise<number>;
  /** Optional: deletes rejected, spam and deleted mentions last changed before this ISO time. */
  pruneDeclined?(updatedBefore: string): number | Promise<number>;
  close(): void | Promise<void>;
}

/** A host the owner trusts (its mentions approved at once) or blocks (stored as spam, unfetched). */
export interface HostRule {
  /** A host name, or `*.example.com` for it and its subdomains. */
  host: string;
  rule: "trust" | "block";
  /** Who set it: the owner (page, CLI), a `--trusted`/`--blocked` flag, or learned from approvals. */
  origin: "owner" | "flag" | "learned";
  createdAt: string;
}
