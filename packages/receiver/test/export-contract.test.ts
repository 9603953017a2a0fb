import assert from "node:assert/strict";
import { test } from "node:test";
import { assertMatchesSchema } from "@static-pingback/core";
import { normalizeFeed } from "@static-pingback/core/received";
import { toJf2Feed } from "../src/export/jf2.ts";
import type { StoredPingback } from "../src/store/types.ts";

const full: StoredPingback = {
  id: 7,
  source: "https://blog.example/posts/citing/",
  target: "https://site.example/posts/hello/",
  sourceHost: "blog.example",
  status: "approved",
  verification: "verified",
  faultCode: null,
  clientIp: "192.0.2.1",
  post: {
    title: "A citing post",
    authorName: "Ann",
    authorUrl: "https://ann.example/",
    published: "2026-03-04T05:06:07.000Z",
    lang: "de",
    excerpt: "I liked hello.",
  },
  receivedAt: "2026-03-05T00:00:00.000Z",
  updatedAt: "2026-03-05T00:00:00.000Z",
  moderatedAt: null,
  protocol: "pingback",
  reason: null,
  goneSince: null,
  statusKey: null,
};
const bare: StoredPingback = {
  ...full,
  id: 8,
  source: "https://other.example/x",
  post: {
    title: null,
    authorName: null,
    authorUrl: null,
    published: null,
    lang: null,
    excerpt: null,
  },
};

test("the export is what core's JF2 schema and the build-time loader accept", () => {
  const feed = toJf2Feed([full, bare]);
  assertMatchesSchema("jf2", feed, "receiver export");
  const { entries } = normalizeFeed(JSON.parse(JSON.stringify(feed)), "receiver export");
  assert.equal(entries.length, 2);
  assert.deepEqual(entries[0], {
    source: full.source,
    target: full.target,
    protocol: "pingback",
    property: "mention-of",
    received: "2026-03-05T00:00:00.000Z",
    published: "2026-03-04T05:06:07.000Z",
    title: "A citing post",
    author: { name: "Ann", url: "https://ann.example/" },
    lang: "de",
    excerpt: "I liked hello.",
  });
  assert.equal(entries[1]?.title, null);
  assert.equal(entries[1]?.source, bare.source);
});
