import type { DatabaseSync } from "node:sqlite";

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many
 * ran. Never edit a shipped entry: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE pingbacks (
     id           INTEGER PRIMARY KEY AUTOINCREMENT,
     source       TEXT NOT NULL,
     target       TEXT NOT NULL,
     source_host  TEXT NOT NULL,
     status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
     verification TEXT NOT NULL CHECK (verification IN ('verified', 'queued', 'failed', 'skipped')),
     fault_code   INTEGER,
     client_ip    TEXT,
     title        TEXT,
     author_name  TEXT,
     author_url   TEXT,
     published    TEXT,
     lang         TEXT,
     excerpt      TEXT,
     received_at  TEXT NOT NULL,
     updated_at   TEXT NOT NULL,
     UNIQUE (source, target)
   );
   CREATE INDEX pingbacks_target ON pingbacks (target, status);
   CREATE INDEX pingbacks_status ON pingbacks (status, verification);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // When a person last set the status: the machine never changes it afterwards.
  "ALTER TABLE pingbacks ADD COLUMN moderated_at TEXT;",
  // One record for both protocols (issue 16): the table is rebuilt because SQLite cannot
  // widen a CHECK; ids (and the AUTOINCREMENT sequence) carry over, so wm-id stays stable.
  `CREATE TABLE mentions (
     id           INTEGER PRIMARY KEY AUTOINCREMENT,
     protocol     TEXT NOT NULL DEFAULT 'pingback' CHECK (protocol IN ('pingback', 'webmention')),
     source       TEXT NOT NULL,
     target       TEXT NOT NULL,
     source_host  TEXT NOT NULL,
     status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
     verification TEXT NOT NULL
                  CHECK (verification IN ('verified', 'queued', 'failed', 'skipped', 'deleted')),
     fault_code   INTEGER,
     reason       TEXT,
     client_ip    TEXT,
     property     TEXT NOT NULL DEFAULT 'mention-of'
                  CHECK (property IN ('in-reply-to', 'like-of', 'repost-of', 'bookmark-of', 'mention-of')),
     title        TEXT,
     author_name  TEXT,
     author_url   TEXT,
     author_photo TEXT,
     published    TEXT,
     lang         TEXT,
     excerpt      TEXT,
     received_at  TEXT NOT NULL,
     updated_at   TEXT NOT NULL,
     moderated_at TEXT,
     gone_since   TEXT,
     status_key   TEXT UNIQUE,
     UNIQUE (source, target)
   );
   INSERT INTO mentions (id, source, target, source_host, status, verification, fault_code,
     client_ip, title, author_name, author_url, published, lang, excerpt, received_at,
     updated_at, moderated_at)
   SELECT id, source, target, source_host, status, verification, fault_code, client_ip, title,
     author_name, author_url, published, lang, excerpt, received_at, updated_at, moderated_at
   FROM pingbacks;
   DELETE FROM sqlite_sequence WHERE name = 'mentions';
   INSERT INTO sqlite_sequence (name, seq) SELECT 'mentions', seq FROM sqlite_sequence
     WHERE name = 'pingbacks';
   DROP TABLE pingbacks;
   CREATE INDEX mentions_target ON mentions (target, status);
   CREATE INDEX mentions_status ON mentions (status, verification);`,
  // Hosts the owner trusts or blocks, editable from the moderation page and the CLI.
  `CREATE TABLE host_rules (
     host       TEXT PRIMARY KEY,
     rule       TEXT NOT NULL CHECK (rule IN ('trust', 'block')),
     origin     TEXT NOT NULL CHECK (origin IN ('owner', 'flag', 'learned')),
     created_at TEXT NOT NULL
   );
   CREATE INDEX mentions_source_host ON mentions (source_host, status);`,
];

/** Brings the database to the latest schema, each migration in its own transaction. */
export function migrate(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  const current = row.user_version;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the pingback database has schema version ${current}, newer than this receiver knows (${MIGRATIONS.length}); upgrade static-pingback`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(MIGRATIONS[version] as string);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
  return MIGRATIONS.length;
}
