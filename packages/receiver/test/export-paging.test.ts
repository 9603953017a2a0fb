import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadReceived, resolveReceivedOptions } from "@static-pingback/core/received";
import {
  DEFAULT_PER_PAGE,
  ExportCache,
  handleExport,
  MAX_PAGE_BYTES,
} from "../src/export/export-route.ts";
import type { Jf2Feed } from "../src/export/jf2.ts";
import type { NewPingback, PingbackStore } from "../src/store/types.ts";
import { startReceiver, TARGET, type TestReceiver, tempDir } from "./helpers.ts";

/**
 * The JF2 export in small pages (issue 14, item 2): a default and maximum page
 * size, a byte cap per answer, `Link: rel="next"` to the end, and core's
 * build-time loader following it.
 */

const tmp = tempDir();
let rx: TestReceiver;
const SHORT = 250;
const LONG = 400;

function row(i: number, source: string): NewPingback {
  return {
    source,
    target: TARGET,
    status: "approved",
    verification: "verified",
    clientIp: "192.0.2.1",
    post: {
      title: `Post ${i}`,
      authorName: "An author",
      authorUrl: null,
      published: null,
      lang: "en",
      excerpt: "An excerpt",
    },
    receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  };
}

before(async () => {
  rx = await startReceiver(tmp.dir);
  const rows: NewPingback[] = [];
  for (let i = 0; i < SHORT; i++) rows.push(row(i, `https://short.example/${i}`));
  // ~3 KB each as JSON (the URL appears twice): 1,000 of them would pass the byte cap.
  for (let i = 0; i < LONG; i++) {
    rows.push(row(SHORT + i, `https://long.example/${"x".repeat(1500)}/${i}`));
  }
  await rx.store.insertMany?.(rows);
});

after(async () => {
  await rx.close();
  tmp.remove();
});

/** Follows rel="next" from `path`; returns every page's size and all entry ids. */
async function follow(path: string) {
  const sizes: number[] = [];
  const ids: number[] = [];
  let next: string | undefined = path;
  while (next) {
    const response = await fetch(new URL(next, rx.origin));
    assert.equal(response.status, 200);
    const body = await response.arrayBuffer();
    sizes.push(body.byteLength);
    const feed = JSON.parse(new TextDecoder().decode(body)) as Jf2Feed;
    ids.push(...feed.children.map((entry) => entry["wm-id"]));
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
    assert.ok(sizes.length < 50, "the next links end");
  }
  return { sizes, ids };
}

test("the default page is small and rel=next leads through every entry once", async () => {
  const { sizes, ids } = await follow("/pingbacks.jf2");
  assert.equal(ids.length, SHORT + LONG);
  assert.equal(new Set(ids).size, SHORT + LONG);
  assert.equal(sizes.length, Math.ceil((SHORT + LONG) / DEFAULT_PER_PAGE));
  const first = (await fetch(`${rx.origin}/pingbacks.jf2`).then((r) => r.json())) as Jf2Feed;
  assert.equal(first.children.length, DEFAULT_PER_PAGE);
  assert.equal((await fetch(`${rx.origin}/pingbacks.jf2?per-page=1001`)).status, 400);
});

test("a page that would pass the byte cap is cut, and the next link continues after it", async () => {
  const { sizes, ids } = await follow("/pingbacks.jf2?per-page=1000");
  assert.ok(sizes.length >= 2, `${sizes.length} pages`);
  for (const size of sizes) assert.ok(size <= MAX_PAGE_BYTES, `${size} bytes`);
  assert.equal(new Set(ids).size, SHORT + LONG);
  assert.equal(ids.length, SHORT + LONG);
});

test("core's loader follows the receiver's pages to the end", async () => {
  const options = resolveReceivedOptions(
    { url: `${rx.origin}/pingbacks.jf2`, cacheDir: join(tmp.dir, "loader-cache"), duration: "0s" },
    "@static-pingback/test",
  );
  const loaded = await loadReceived(options, { cwd: tmp.dir });
  assert.deepEqual(loaded.warnings, []);
  assert.equal(loaded.entries.length, SHORT + LONG);
});

test("the cache is bounded in bytes and keyed by the normalised query", async () => {
  let queries = 0;
  const counting = new Proxy(rx.store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (name === "list") queries++;
        return value.apply(target, args);
      };
    },
  }) as PingbackStore;
  const cache = new ExportCache(64 * 1024);
  const get = (query: string) =>
    handleExport(
      {
        method: "GET",
        url: new URL(`http://receiver.invalid/pingbacks.jf2${query}`),
        header: () => null,
        body: null,
        clientAddress: "192.0.2.9",
      },
      counting,
      undefined,
      cache,
    );
  const a = await get("?page=2&per-page=10");
  const b = await get("?per-page=10&offset=20&unknown=1");
  assert.equal(queries, 1);
  assert.equal(a.body, b.body, "the same encoded body, not a copy");
  for (let i = 0; i < 20; i++) await get(`?per-page=100&offset=${i}`);
  assert.ok(cache.bytes <= 64 * 1024, `${cache.bytes} bytes cached`);
  assert.ok(cache.bytes > 0);
});
