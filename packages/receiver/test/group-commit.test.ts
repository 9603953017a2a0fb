import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { GroupCommit } from "../src/store/group-commit.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import type { NewPingback, PingbackStore } from "../src/store/types.ts";
import { TARGET, tempDir } from "./helpers.ts";

const tmp = tempDir();
after(() => tmp.remove());

const queued = (i: number): NewPingback => ({
  protocol: "webmention",
  source: `https://blog.example/${i}`,
  target: TARGET,
  status: "pending",
  verification: "queued",
  clientIp: "192.0.2.1",
  post: null,
});

const post = {
  title: "A reply",
  authorName: "Ann",
  authorUrl: null,
  published: null,
  lang: "en",
  excerpt: null,
};

/** A real store whose batch calls are counted (every call still reaches SQLite). */
function countingStore(file: string) {
  const store = new SqlitePingbackStore(join(tmp.dir, file));
  const calls = { insertMany: [] as number[], completeMany: [] as number[], single: 0 };
  const counted: PingbackStore = Object.assign(Object.create(store) as PingbackStore, {
    insertMany: (rows: readonly NewPingback[]) => {
      calls.insertMany.push(rows.length);
      return store.insertMany(rows);
    },
    completeMany: (items: Parameters<SqlitePingbackStore["completeMany"]>[0]) => {
      calls.completeMany.push(items.length);
      return store.completeMany(items);
    },
    completeVerification: (...args: Parameters<SqlitePingbackStore["completeVerification"]>) => {
      calls.single += 1;
      return store.completeVerification(...args);
    },
  });
  return { store, counted, calls };
}

describe("GroupCommit", () => {
  it("writes the inserts and the verification outcomes of one turn in one transaction each", async () => {
    const { store, counted, calls } = countingStore("batched.db");
    const writes = new GroupCommit(counted);
    const inserted = await Promise.all([0, 1, 2].map((i) => writes.insert(queued(i))));
    assert.deepEqual(calls.insertMany, [3]);
    assert.ok(inserted.every((row) => row.inserted));
    const [a, b, c] = inserted.map((row) => row.id) as [number, number, number];
    await Promise.all([
      writes.complete(a, { ok: true, status: "approved", post }),
      writes.complete(b, { ok: true, status: "pending", post }),
      writes.complete(c, { ok: false, faultCode: 17, reason: "no-link" }),
    ]);
    assert.deepEqual(calls.completeMany, [3]);
    assert.equal(calls.single, 0);
    const rows = new Map(store.list().map((row) => [row.id, row]));
    assert.equal(rows.get(a)?.verification, "verified");
    assert.equal(rows.get(a)?.status, "approved");
    assert.equal(rows.get(a)?.post.authorName, "Ann");
    assert.equal(rows.get(b)?.status, "pending");
    assert.equal(rows.get(c)?.verification, "failed");
    assert.equal(rows.get(c)?.reason, "no-link");
    // The next turn is a batch of its own.
    await writes.complete(a, { ok: false, faultCode: 17, reason: "no-link" });
    assert.deepEqual(calls.completeMany, [3, 1]);
    store.close();
  });

  it("writes one at a time to a store without the batch methods", async () => {
    const { store, calls } = countingStore("plain.db");
    const plain: PingbackStore = Object.assign(Object.create(store) as PingbackStore, {
      insertMany: undefined,
      completeMany: undefined,
      insert: (row: NewPingback) => store.insert(row),
      completeVerification: (...args: Parameters<SqlitePingbackStore["completeVerification"]>) => {
        calls.single += 1;
        return store.completeVerification(...args);
      },
    });
    const writes = new GroupCommit(plain);
    const { id } = await writes.insert(queued(9));
    await writes.complete(id, { ok: true, status: "approved", post });
    assert.equal(calls.single, 1);
    assert.equal(store.find(queued(9).source, TARGET)?.verification, "verified");
    store.close();
  });

  it("rejects every caller of a batch whose transaction failed", async () => {
    const { store, counted } = countingStore("closed.db");
    const writes = new GroupCommit(counted);
    const { id } = await writes.insert(queued(1));
    store.close();
    const results = await Promise.allSettled([
      writes.complete(id, { ok: true, status: "approved", post }),
      writes.complete(id + 1, { ok: true, status: "approved", post }),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["rejected", "rejected"],
    );
  });
});
