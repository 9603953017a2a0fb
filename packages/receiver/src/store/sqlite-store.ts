import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { migrate } from "./migrations.ts";
import type {
  CitingPost,
  HostRule,
  ListQuery,
  MentionProperty,
  MentionProtocol,
  NewPingback,
  PingbackStatus,
  PingbackStore,
  StoredPingback,
  VerificationOutcome,
  VerificationState,
} from "./types.ts";

/** The citing post's plain columns, in the order both statements list them. */
function postColumns(post: CitingPost): SQLInputValue[] {
  return [post.title, post.authorName, post.authorUrl, post.published, post.lang, post.excerpt];
}

interface Row {
  id: number;
  protocol: MentionProtocol;
  property: MentionProperty;
  author_photo: string | null;
  reason: string | null;
  gone_since: string | null;
  status_key: string | null;
  source: string;
  target: string;
  source_host: string;
  status: PingbackStatus;
  verification: VerificationState;
  fault_code: number | null;
  client_ip: string | null;
  title: string | null;
  author_name: string | null;
  author_url: string | null;
  published: string | null;
  lang: string | null;
  excerpt: string | null;
  received_at: string;
  updated_at: string;
  moderated_at: string | null;
}

const EMPTY_POST: CitingPost = {
  title: null,
  authorName: null,
  authorUrl: null,
  published: null,
  lang: null,
  excerpt: null,
  property: "mention-of",
  authorPhoto: null,
};

function toPingback(row: Row): StoredPingback {
  return {
    id: row.id,
    protocol: row.protocol,
    source: row.source,
    target: row.target,
    sourceHost: row.source_host,
    status: row.status,
    verification: row.verification,
    faultCode: row.fault_code,
    clientIp: row.client_ip,
    post: {
      title: row.title,
      authorName: row.author_name,
      authorUrl: row.author_url,
      published: row.published,
      lang: row.lang,
      excerpt: row.excerpt,
      property: row.property,
      authorPhoto: row.author_photo,
    },
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
    moderatedAt: row.moderated_at,
    reason: row.reason,
    goneSince: row.gone_since,
    statusKey: row.status_key,
  };
}

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /**
   * `full` (default) syncs every commit to disk before it returns, so a success
   * answer survives kill -9 and power loss; `normal` survives kill -9 only.
   */
  durability?: "full" | "normal";
}

/** Builds WHERE and parameters for a list query; every value is bound, never spliced. */
function whereOf(query: ListQuery): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.status !== undefined) {
    clauses.push("status = ?");
    params.push(query.status);
  }
  if (query.verifiedOnly) clauses.push("verification = 'verified'");
  if (query.id !== undefined) {
    clauses.push("id = ?");
    params.push(query.id);
  }
  if (query.deleted !== undefined) {
    clauses.push(query.deleted ? "verification = 'deleted'" : "verification <> 'deleted'");
  }
  if (query.target !== undefined) {
    clauses.push("target = ?");
    params.push(query.target);
  }
  if (query.sourceHost !== undefined) {
    clauses.push("source_host = ?");
    params.push(query.sourceHost);
  }
  if (query.since !== undefined) {
    clauses.push("received_at > ?");
    params.push(query.since);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/**
 * The embedded default store: one SQLite file through node:sqlite (no native
 * addon), WAL journal, a unique (source, target) constraint.
 */
export class SqlitePingbackStore implements PingbackStore {
  readonly #db: DatabaseSync;
  readonly #findStmt: StatementSync;
  readonly #insertStmt: StatementSync;
  readonly #touchStmt: StatementSync;
  readonly #verifiedStmt: StatementSync;
  readonly #failedStmt: StatementSync;
  #inTransaction = false;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.#db = new DatabaseSync(path);
    // A moderation CLI may hold the write lock for a moment: wait, do not fail.
    this.#db.exec("PRAGMA busy_timeout = 5000");
    if (path !== ":memory:") this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec(`PRAGMA synchronous = ${options.durability === "normal" ? "NORMAL" : "FULL"}`);
    migrate(this.#db);
    this.#findStmt = this.#db.prepare("SELECT * FROM mentions WHERE source = ? AND target = ?");
    this.#insertStmt = this.#db.prepare(
      `INSERT INTO mentions (source, target, source_host, status, verification, client_ip,
         title, author_name, author_url, published, lang, excerpt, received_at, updated_at,
         moderated_at, protocol, property, author_photo, status_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, target) DO NOTHING`,
    );
    this.#verifiedStmt = this.#db.prepare(
      // A status a person set stays: only an unmoderated row takes the machine's status.
      `UPDATE mentions SET verification = 'verified', fault_code = NULL, reason = NULL,
         gone_since = NULL,
         status = CASE WHEN moderated_at IS NULL THEN ? ELSE status END,
         title = ?, author_name = ?, author_url = ?, published = ?, lang = ?, excerpt = ?,
         property = ?, author_photo = ?, updated_at = ? WHERE id = ?`,
    );
    this.#failedStmt = this.#db.prepare(
      `UPDATE mentions SET verification = 'failed', fault_code = ?, reason = ?, updated_at = ?
       WHERE id = ?`,
    );
    this.#touchStmt = this.#db.prepare(
      // Strictly increasing, even for two changes in one millisecond (or from two
      // processes): the export cache and ETags key on it.
      `INSERT INTO meta (key, value) VALUES ('changed_at', ?)
       ON CONFLICT (key) DO UPDATE SET value = CASE
         WHEN excluded.value > value THEN excluded.value
         ELSE strftime('%Y-%m-%dT%H:%M:%fZ', value, '+0.001 seconds') END`,
    );
  }

  find(source: string, target: string): StoredPingback | undefined {
    const row = this.#findStmt.get(source, target) as Row | undefined;
    return row ? toPingback(row) : undefined;
  }

  insert(pingback: NewPingback): { id: number; inserted: boolean } {
    const now = pingback.receivedAt ?? new Date().toISOString();
    const post = pingback.post ?? EMPTY_POST;
    return this.#write(() => {
      const result = this.#insertStmt.run(
        pingback.source,
        pingback.target,
        new URL(pingback.source).hostname,
        pingback.status,
        pingback.verification,
        pingback.clientIp,
        ...postColumns(post),
        now,
        now,
        pingback.moderatedAt ?? null,
        pingback.protocol ?? "pingback",
        post.property ?? "mention-of",
        post.authorPhoto ?? null,
        pingback.statusKey ?? null,
      );
      if (result.changes === 0) {
        const existing = this.find(pingback.source, pingback.target);
        return { id: existing?.id ?? 0, inserted: false };
      }
      return { id: Number(result.lastInsertRowid), inserted: true };
    });
  }

  insertMany(pingbacks: readonly NewPingback[]): Array<{ id: number; inserted: boolean }> {
    return this.#write(() => pingbacks.map((pingback) => this.insert(pingback)));
  }

  completeVerification(id: number, outcome: VerificationOutcome): void {
    const now = new Date().toISOString();
    this.#write(() => {
      if (outcome.ok) {
        const { post } = outcome;
        this.#verifiedStmt.run(
          outcome.status,
          ...postColumns(post),
          post.property ?? "mention-of",
          post.authorPhoto ?? null,
          now,
          id,
        );
      } else {
        this.#failedStmt.run(outcome.faultCode, outcome.reason ?? null, now, id);
      }
    });
  }

  completeMany(outcomes: readonly { id: number; outcome: VerificationOutcome }[]): void {
    this.#write(() => {
      for (const { id, outcome } of outcomes) this.completeVerification(id, outcome);
    });
  }

  findByStatusKey(key: string): StoredPingback | undefined {
    const row = this.#db.prepare("SELECT * FROM mentions WHERE status_key = ?").get(key) as
      | Row
      | undefined;
    return row ? toPingback(row) : undefined;
  }

  requeue(id: number, statusKey: string): void {
    const now = new Date().toISOString();
    this.#write(() =>
      this.#db
        .prepare(
          `UPDATE mentions SET status_key = coalesce(status_key, ?), updated_at = ?,
             verification = CASE WHEN verification IN ('verified', 'deleted') THEN verification
                             ELSE 'queued' END
           WHERE id = ?`,
        )
        .run(statusKey, now, id),
    );
  }

  markDeleted(id: number, reason: string): void {
    const now = new Date().toISOString();
    this.#write(() =>
      this.#db
        .prepare(
          "UPDATE mentions SET verification = 'deleted', reason = ?, updated_at = ? WHERE id = ?",
        )
        .run(reason, now, id),
    );
  }

  markGone(id: number, since: string | null): void {
    const now = new Date().toISOString();
    this.#write(() =>
      this.#db
        .prepare("UPDATE mentions SET gone_since = ?, updated_at = ? WHERE id = ?")
        .run(since, now, id),
    );
  }

  list(query: ListQuery = {}): StoredPingback[] {
    const { sql, params } = whereOf(query);
    const order = query.order === "asc" ? "ASC" : "DESC";
    const limit = Math.max(0, Math.min(query.limit ?? 1_000_000, 1_000_000));
    const offset = Math.max(0, query.offset ?? 0);
    const rows = this.#db
      .prepare(`SELECT * FROM mentions ${sql} ORDER BY id ${order} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as unknown as Row[];
    return rows.map(toPingback);
  }

  count(query: ListQuery = {}): number {
    const { sql, params } = whereOf(query);
    const row = this.#db.prepare(`SELECT count(*) AS n FROM mentions ${sql}`).get(...params) as {
      n: number;
    };
    return row.n;
  }

  setStatus(ids: readonly number[], status: PingbackStatus): number[] {
    const now = new Date().toISOString();
    const update = this.#db.prepare(
      "UPDATE mentions SET status = ?, updated_at = ?, moderated_at = ? WHERE id = ?",
    );
    return this.#write(() => ids.filter((id) => update.run(status, now, now, id).changes > 0));
  }

  remove(ids: readonly number[]): number[] {
    const remove = this.#db.prepare("DELETE FROM mentions WHERE id = ?");
    return this.#write(() => ids.filter((id) => remove.run(id).changes > 0));
  }

  pruneFailed(updatedBefore: string): number {
    const prune = this.#db.prepare(
      `DELETE FROM mentions WHERE verification = 'failed' AND moderated_at IS NULL
         AND updated_at < ?`,
    );
    return this.#write(() => Number(prune.run(updatedBefore).changes));
  }

  queued(): StoredPingback[] {
    const rows = this.#db
      .prepare("SELECT * FROM mentions WHERE verification = 'queued' ORDER BY id")
      .all() as unknown as Row[];
    return rows.map(toPingback);
  }

  hostRules(): HostRule[] {
    const rows = this.#db
      .prepare("SELECT host, rule, origin, created_at FROM host_rules ORDER BY host")
      .all() as Array<{
      host: string;
      rule: HostRule["rule"];
      origin: HostRule["origin"];
      created_at: string;
    }>;
    return rows.map((row) => ({
      host: row.host,
      rule: row.rule,
      origin: row.origin,
      createdAt: row.created_at,
    }));
  }

  setHostRule(
    host: string,
    rule: Omit<HostRule, "host" | "createdAt"> | null,
    onlyIfAbsent = false,
  ): void {
    this.#write(() => {
      if (rule === null) {
        this.#db.prepare("DELETE FROM host_rules WHERE host = ?").run(host);
        return;
      }
      const conflict = onlyIfAbsent
        ? "DO NOTHING"
        : "DO UPDATE SET rule = excluded.rule, origin = excluded.origin";
      this.#db
        .prepare(
          `INSERT INTO host_rules (host, rule, origin, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (host) ${conflict}`,
        )
        .run(host, rule.rule, rule.origin, new Date().toISOString());
    });
  }

  erase(who: { authorUrl: string } | { host: string }): number {
    if ("host" in who) {
      const erase = this.#db.prepare("DELETE FROM mentions WHERE source_host = ?");
      return this.#write(() => Number(erase.run(who.host.toLowerCase()).changes));
    }
    // "https://ann.example" and "https://ann.example/" name the same person.
    const bare = who.authorUrl.replace(/\/+$/, "");
    const erase = this.#db.prepare("DELETE FROM mentions WHERE author_url IN (?, ?)");
    return this.#write(() => Number(erase.run(bare, `${bare}/`).changes));
  }

  pruneDeclined(updatedBefore: string): number {
    const prune = this.#db.prepare(
      `DELETE FROM mentions WHERE (status IN ('rejected', 'spam') OR verification = 'deleted')
         AND updated_at < ?`,
    );
    return this.#write(() => Number(prune.run(updatedBefore).changes));
  }

  lastChange(): string {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'changed_at'").get() as
      | { value: string }
      | undefined;
    return row?.value ?? new Date(0).toISOString();
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** One transaction per write, committed (and synced) before returning. */
  #write<T>(work: () => T): T {
    if (this.#inTransaction) return work();
    this.#db.exec("BEGIN IMMEDIATE");
    this.#inTransaction = true;
    try {
      const result = work();
      this.#touchStmt.run(new Date().toISOString());
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    } finally {
      this.#inTransaction = false;
    }
  }
}
