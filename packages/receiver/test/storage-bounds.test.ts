import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReceiverEvent } from "../src/options.ts";
import { createReceiver } from "../src/receiver.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import { type Answer, ping, startReceiver, TARGET, tempDir } from "./helpers.ts";

/** The database is bounded: field lengths, expiry of failed rows, a quota. */

const linking = (extra = "") =>
  new TextEncoder().encode(
    `<html><head><title>t</title></head><body>${extra}<a href="${TARGET}">x</a></body></html>`,
  );

const code = (answer: Answer) => (answer.kind === "fault" ? answer.code : "success");

test("an author URL longer than 2,048 characters is not stored; every field is within its cap", async () => {
  const tmp = tempDir();
  // The 900,023 characters no longer fit in what is read of a page (150 KB): the link
  // after them would not be found. 100,000 fit, and are still 50 times the URL cap.
  const huge = `https://author.example/${"a".repeat(100_000)}`;
  const rx = await startReceiver(tmp.dir, {
    fetchSource: async (url) => ({
      ok: true,
      source: {
        url,
        contentType: "text/html",
        body: linking(
          `<div class="h-card"><a class="p-name u-url" href="${huge}">${"N".repeat(5000)}</a></div>`,
        ),
      },
    }),
  });
  try {
    assert.equal((await ping(rx.endpoint, "https://blog.example/p", TARGET)).kind, "success");
    const row = rx.store.find("https://blog.example/p", TARGET);
    assert.equal(row?.post.authorUrl, null);
    assert.ok((row?.post.authorName ?? "").length <= 200);
    assert.throws(
      () =>
        createReceiver({
          site: "https://s.example/",
          manifest: "m.json",
          store: rx.store,
          maxUriLength: 4096,
        }),
      /maxUriLength must be an integer from 16 to 2048/,
    );
  } finally {
    await rx.close();
    tmp.remove();
  }
});

test("failed rows expire after failedRetentionMs, unless a person moderated them", async () => {
  const tmp = tempDir();
  const dbPath = `${tmp.dir}/expiry.db`;
  const seed = new SqlitePingbackStore(dbPath);
  const old = "2020-01-01T00:00:00.000Z";
  const row = (source: string, receivedAt?: string) => ({
    source,
    target: TARGET,
    status: "pending" as const,
    verification: "queued" as const,
    clientIp: "192.0.2.1",
    post: null,
    ...(receivedAt ? { receivedAt } : {}),
  });
  const oldFailed = seed.insert(row("https://a.example/old", old)).id;
  const oldModerated = seed.insert(row("https://a.example/moderated", old)).id;
  const fresh = seed.insert(row("https://a.example/fresh")).id;
  seed.insert({ ...row("https://a.example/verified", old), verification: "verified" });
  for (const id of [oldFailed, oldModerated, fresh])
    seed.completeVerification(id, { ok: false, faultCode: 16 });
  seed.setStatus([oldModerated], "spam");
  // completeVerification stamped them now: age two of them as a week of waiting would.
  seed.close();
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(dbPath);
  db.prepare("UPDATE mentions SET updated_at = ? WHERE id IN (?, ?)").run(
    old,
    oldFailed,
    oldModerated,
  );
  db.close();

  const events: ReceiverEvent[] = [];
  const store = new SqlitePingbackStore(dbPath);
  const { writeFileSync } = await import("node:fs");
  const { MANIFEST } = await import("./helpers.ts");
  writeFileSync(`${tmp.dir}/m.json`, JSON.stringify(MANIFEST));
  const receiver = createReceiver({
    site: MANIFEST.site,
    manifest: `${tmp.dir}/m.json`,
    store,
    failedRetentionMs: 24 * 3600_000,
    log: (event) => events.push(event),
  });
  try {
    await receiver.ready();
    const left = store.list({ order: "asc" }).map((r) => r.source);
    assert.deepEqual(left, [
      "https://a.example/moderated",
      "https://a.example/fresh",
      "https://a.example/verified",
    ]);
    assert.deepEqual(
      events.filter((e) => e.event === "pruned-failed"),
      [{ event: "pruned-failed", count: 1 }],
    );
  } finally {
    await receiver.close();
    store.close();
    tmp.remove();
  }
});

test("past the storage quota new pings are refused with fault 0 and one clear log line", async () => {
  const tmp = tempDir();
  const events: ReceiverEvent[] = [];
  const rx = await startReceiver(tmp.dir, {
    maxStoredPingbacks: 2,
    log: (event) => events.push(event),
    fetchSource: async (url) => ({
      ok: true,
      source: { url, contentType: "text/html", body: linking() },
    }),
  });
  try {
    const answers = [];
    for (const n of [1, 2, 3, 4])
      answers.push(code(await ping(rx.endpoint, `https://b.example/${n}`, TARGET)));
    assert.deepEqual(answers, ["success", "success", 0, 0]);
    assert.equal(rx.store.count(), 2);
    const full = events.filter((e) => e.event === "quota-reached");
    assert.equal(full.length, 1);
    assert.match(
      String(full[0]?.message),
      /storage quota reached: 2 pingbacks stored, maxStoredPingbacks is 2/,
    );
    // A stored pair is still a fast duplicate, not a quota refusal.
    assert.equal(code(await ping(rx.endpoint, "https://b.example/1", TARGET)), 48);
  } finally {
    await rx.close();
    tmp.remove();
  }
});
