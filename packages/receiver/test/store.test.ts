import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import type { NewPingback } from "../src/store/types.ts";

const dir = mkdtempSync(join(tmpdir(), "sp-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const post = {
  title: "A post",
  authorName: "Ann",
  authorUrl: "https://ann.example/",
  published: "2026-01-02T03:04:05.000Z",
  lang: "en",
  excerpt: "text",
};

function ping(source: string, target = "https://site.example/a/"): NewPingback {
  return {
    source,
    target,
    status: "pending",
    verification: "verified",
    clientIp: "192.0.2.1",
    post,
  };
}

test("a (source, target) pair is stored once and survives reopening", () => {
  const file = join(dir, "once.db");
  const store = new SqlitePingbackStore(file);
  const first = store.insert(ping("https://blog.example/p1"));
  const again = store.insert(ping("https://blog.example/p1"));
  assert.equal(first.inserted, true);
  assert.deepEqual(again, { id: first.id, inserted: false });
  store.close();
  const reopened = new SqlitePingbackStore(file);
  const row = reopened.find("https://blog.example/p1", "https://site.example/a/");
  assert.equal(row?.post.title, "A post");
  assert.equal(row?.sourceHost, "blog.example");
  assert.equal(reopened.count(), 1);
  reopened.close();
});

test("statuses, filters, paging, deletion and queued rows", () => {
  const store = new SqlitePingbackStore(":memory:");
  const ids = ["p1", "p2", "p3"].map((p) => store.insert(ping(`https://blog.example/${p}`)).id);
  store.insert({
    ...ping("https://other.example/q", "https://site.example/b/"),
    verification: "queued",
    post: null,
  });
  assert.deepEqual(store.setStatus([ids[0] as number, 999], "approved"), [ids[0]]);
  assert.equal(store.count({ status: "approved" }), 1);
  assert.equal(store.count({ target: "https://site.example/b/" }), 1);
  assert.deepEqual(
    store.list({ order: "asc", limit: 2, offset: 1 }).map((r) => r.source),
    ["https://blog.example/p2", "https://blog.example/p3"],
  );
  const [queued] = store.queued();
  assert.equal(queued?.source, "https://other.example/q");
  store.completeVerification(queued?.id as number, { ok: false, faultCode: 17 });
  assert.equal(store.queued().length, 0);
  assert.equal(store.find("https://other.example/q", "https://site.example/b/")?.faultCode, 17);
  const before = store.lastChange();
  assert.deepEqual(store.remove([ids[1] as number]), [ids[1]]);
  assert.ok(store.lastChange() > before, "every change moves lastChange, even within 1 ms");
  assert.equal(store.count(), 3);
  store.close();
});

test("hostile values are bound, never spliced into SQL", () => {
  const store = new SqlitePingbackStore(":memory:");
  const evil = "https://blog.example/x'); DROP TABLE pingbacks; --";
  store.insert(ping(evil));
  assert.equal(store.list({ target: "' OR 1=1 --" }).length, 0);
  assert.equal(store.find(evil, "https://site.example/a/")?.source, evil);
  store.close();
});

test("a database of the pingback-only schema upgrades: rows, ids and decisions kept, as pingbacks", async () => {
  const { DatabaseSync } = await import("node:sqlite");
  const { MIGRATIONS } = await import("../src/store/migrations.ts");
  const file = join(dir, "old.db");
  const old = new DatabaseSync(file);
  for (const [index, sql] of MIGRATIONS.slice(0, 2).entries()) {
    old.exec(sql);
    old.exec(`PRAGMA user_version = ${index + 1}`);
  }
  const insert = old.prepare(
    `INSERT INTO pingbacks (source, target, source_host, status, verification, title,
       received_at, updated_at, moderated_at) VALUES (?, ?, ?, ?, 'verified', ?, ?, ?, ?)`,
  );
  const at = "2026-01-01T00:00:00.000Z";
  insert.run(
    "https://blog.example/old1",
    "https://site.example/a/",
    "blog.example",
    "approved",
    "Old",
    at,
    at,
    at,
  );
  insert.run(
    "https://blog.example/old2",
    "https://site.example/a/",
    "blog.example",
    "pending",
    null,
    at,
    at,
    null,
  );
  old.prepare("DELETE FROM pingbacks WHERE source = ?").run("https://blog.example/old2");
  old.close();

  const store = new SqlitePingbackStore(file);
  const [row] = store.list();
  assert.equal(row?.id, 1);
  assert.equal(row?.protocol, "pingback");
  assert.equal(row?.post.property, "mention-of");
  assert.equal(row?.post.title, "Old");
  assert.equal(row?.status, "approved");
  assert.equal(row?.moderatedAt, at);
  // The id sequence carries over: a deleted id is never given again (wm-id stays unique).
  const next = store.insert(ping("https://blog.example/new"));
  assert.equal(next.id, 3);
  store.close();
});
