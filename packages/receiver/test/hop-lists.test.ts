import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  html,
  LOOSE_LIMITS,
  page,
  ping,
  type SourceServer,
  startReceiver,
  startSourceServer,
  TARGET,
  type TestReceiver,
  tempDir,
} from "./helpers.ts";
import { testLookup } from "./test-dns.ts";

/** Trusted and blocked lists are judged on every hop of the source fetch, and by address. */

const tmp = tempDir();
let source: SourceServer;
let lists: TestReceiver;
let byAddress: TestReceiver;
const common = {
  allowPrivateNetworks: ["127.0.0.0/8"],
  ...LOOSE_LIMITS,
  answerDeadlineMs: 2900,
};

/** Requests the source server saw for a Host name. */
const seen = (host: string) =>
  source.requests.filter((r) => r.headers.host?.startsWith(`${host}:`)).length;

before(async () => {
  source = await startSourceServer();
  source.route("/post", page(html(`<a href="${TARGET}">a link</a>`, "Post")));
  const redirect = (to: string) => (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(302, { location: `http://${to}:${source.port}/post` });
    res.end();
  };
  source.route("/to-other", redirect("other.test"));
  source.route("/to-blocked", redirect("blocked.test"));
  lists = await startReceiver(
    tmp.dir,
    {
      ...common,
      trusted: ["trusted.test"],
      blocked: ["blocked.test"],
      // blocked.test names an address nothing listens on: only its name is blocked here.
      lookup: testLookup({ "blocked.test": "127.0.0.9", "*.test": "127.0.0.1" }),
    },
    "lists",
  );
  byAddress = await startReceiver(
    tmp.dir,
    {
      ...common,
      blocked: ["blocked.test"],
      lookup: testLookup({ "*.test": "127.0.0.1" }),
    },
    "by-address",
  );
});
after(async () => {
  await lists.close();
  await byAddress.close();
  await source.close();
  tmp.remove();
});

test("a trusted host is approved only when no hop leaves it", async () => {
  const direct = `http://trusted.test:${source.port}/post`;
  assert.equal((await ping(lists.endpoint, direct, TARGET)).kind, "success");
  assert.equal(lists.store.find(direct, TARGET)?.status, "approved");

  const away = `http://trusted.test:${source.port}/to-other`;
  assert.equal((await ping(lists.endpoint, away, TARGET)).kind, "success");
  const row = lists.store.find(away, TARGET);
  assert.equal(row?.verification, "verified");
  assert.equal(row?.status, "pending");
});

test("a redirect to a blocked host is refused before it is requested, and stored as spam", async () => {
  const url = `http://fine.test:${source.port}/to-blocked`;
  assert.equal((await ping(lists.endpoint, url, TARGET)).kind, "success");
  const row = lists.store.find(url, TARGET);
  assert.equal(row?.status, "spam");
  assert.equal(seen("fine.test"), 1);
  assert.equal(seen("blocked.test"), 0);
});

test("another name or the IP literal of a blocked host is blocked too, with no request", async () => {
  const before = source.requests.length;
  for (const url of [
    `http://alias.test:${source.port}/post`,
    `http://127.0.0.1:${source.port}/post`,
    `http://BLOCKED.test.:${source.port}/post`,
  ]) {
    assert.equal((await ping(byAddress.endpoint, url, TARGET)).kind, "success", url);
    const row = byAddress.store.find(new URL(url).href, TARGET);
    assert.equal(row?.status, "spam", url);
    assert.equal(row?.verification, "skipped", url);
  }
  assert.equal(source.requests.length, before);
});
