import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { encodePingbackPing, parseMethodResponse } from "@static-pingback/core/xmlrpc";
import { forwardedAddress, startNodeServer } from "../src/node-server.ts";
import { ReceiverOptionsError } from "../src/options.ts";
import type { SourceFetcher } from "../src/ping/fetch-source.ts";
import { createReceiver } from "../src/receiver.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import { MANIFEST, SITE, startSourceServer, TARGET, tempDir } from "./helpers.ts";

const tmp = tempDir();
after(() => tmp.remove());

const NEW_PAGE = "https://site.example/posts/new/";
const linking: SourceFetcher = async (url) => ({
  ok: true,
  source: {
    url,
    contentType: "text/html",
    body: new TextEncoder().encode(
      `<title>T</title><a href="${TARGET}">x</a><a href="${NEW_PAGE}">y</a>`,
    ),
  },
});

const xmlrpc = (source: string, target: string) =>
  new Request("https://pings.example/xmlrpc", {
    method: "POST",
    body: encodePingbackPing(source, target),
  });

test("the Fetch-API handler answers Request with Response, client IP from the context", async () => {
  const store = new SqlitePingbackStore(":memory:");
  const manifest = join(tmp.dir, "fetch-manifest.json");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const seen: string[] = [];
  const receiver = createReceiver({
    site: SITE,
    manifest,
    store,
    fetchSource: async (url, requester) => {
      seen.push(requester);
      return linking(url, requester);
    },
  });
  const response = await receiver(xmlrpc("https://blog.example/p", TARGET), {
    clientAddress: "203.0.113.9",
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /text\/xml/);
  assert.equal(parseMethodResponse(await response.text()).kind, "success");
  assert.deepEqual(seen, ["203.0.113.9"]);
  assert.equal(store.find("https://blog.example/p", TARGET)?.clientIp, "203.0.113.9");
  // The rendered export is cached per store change: approving must show at once.
  const exported = async () =>
    (
      (await (await receiver(new Request("https://pings.example/pingbacks.jf2"))).json()) as {
        children: unknown[];
      }
    ).children.length;
  assert.equal(await exported(), 0);
  assert.equal(await exported(), 0);
  store.setStatus([store.find("https://blog.example/p", TARGET)?.id as number], "approved");
  assert.equal(await exported(), 1);
  const head = await receiver(
    new Request("https://pings.example/pingbacks.jf2", { method: "HEAD" }),
  );
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  assert.equal((await receiver(new Request("https://pings.example/elsewhere"))).status, 404);
  assert.equal(
    (await receiver(new Request("https://pings.example/pingbacks.jf2", { method: "DELETE" })))
      .status,
    405,
  );
  await receiver.close();
  store.close();
});

test("a missing manifest: pings get fault 0, health 503, and it recovers once the file appears", async () => {
  const store = new SqlitePingbackStore(":memory:");
  const manifest = join(tmp.dir, "late-manifest.json");
  let loads = 0;
  const receiver = createReceiver({
    site: SITE,
    manifest,
    store,
    fetchSource: linking,
    manifestRetryMs: 200,
    log: (event) => {
      if (event.event === "manifest-error") loads++;
    },
  });
  const early = parseMethodResponse(
    await (await receiver(xmlrpc("https://blog.example/a", TARGET))).text(),
  );
  assert.equal(early.kind === "fault" && early.faultCode, 0);
  assert.equal((await receiver(new Request("https://pings.example/healthz"))).status, 503);
  const pingOnce = async () =>
    parseMethodResponse(await (await receiver(xmlrpc("https://blog.example/a", TARGET))).text());
  await Promise.all(Array.from({ length: 50 }, pingOnce));
  assert.equal(loads, 1, "one load attempt, however many requests arrive meanwhile");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  let late = await pingOnce();
  for (let i = 0; i < 100 && late.kind === "fault"; i++) {
    await sleep(20);
    late = await pingOnce();
  }
  assert.equal(late.kind, "success");
  await receiver.close();
  store.close();
});

test("the manifest can come from its published URL, and a refresh picks up new pages", async () => {
  const server = await startSourceServer();
  let manifest = MANIFEST;
  server.route("/pingback-manifest.json", (_q, r) => {
    r.writeHead(200, { "content-type": "application/json" });
    r.end(JSON.stringify(manifest));
  });
  const store = new SqlitePingbackStore(":memory:");
  const receiver = createReceiver({
    site: SITE,
    manifest: `${server.origin}/pingback-manifest.json`,
    manifestRefreshMs: 50,
    store,
    fetchSource: linking,
  });
  after(async () => {
    await receiver.close();
    store.close();
    await server.close();
  });
  const newPage = NEW_PAGE;
  const before = parseMethodResponse(
    await (await receiver(xmlrpc("https://blog.example/n", newPage))).text(),
  );
  assert.equal(before.kind === "fault" && before.faultCode, 32);
  manifest = {
    ...MANIFEST,
    pages: { ...MANIFEST.pages, [newPage]: { pingback: true, links: [] } },
  };
  let answer = before;
  for (let i = 0; i < 100 && answer.kind === "fault"; i++) {
    await sleep(50);
    answer = parseMethodResponse(
      await (await receiver(xmlrpc("https://blog.example/n", newPage))).text(),
    );
  }
  assert.equal(answer.kind, "success");
});

test("approving posts the rebuild hook once per burst (debounced)", async () => {
  const hook = await startSourceServer();
  let posts = 0;
  hook.route("/build", (req, res) => {
    if (req.method === "POST") posts++;
    res.writeHead(200).end();
  });
  const store = new SqlitePingbackStore(":memory:");
  const manifest = join(tmp.dir, "hook-manifest.json");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const receiver = createReceiver({
    site: SITE,
    manifest,
    store,
    trusted: ["friend.example"],
    rebuildHook: { url: `${hook.origin}/build`, debounceMs: 30 },
    fetchSource: linking,
  });
  await Promise.all(
    ["a", "b", "c"].map((p) => receiver(xmlrpc(`https://friend.example/${p}`, TARGET))),
  );
  assert.equal(store.count({ status: "approved" }), 3);
  for (let i = 0; i < 100 && posts === 0; i++) await sleep(20);
  await sleep(100);
  assert.equal(posts, 1);
  await receiver.close();
  store.close();
  await hook.close();
});

test("options are validated at the door with messages that say what to fix", () => {
  const store = new SqlitePingbackStore(":memory:");
  const base = { site: SITE, manifest: "m.json", store };
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ site: "example.com" }, /site must be an absolute http\(s\) URL/],
    [{ site: "ftp://example.com/" }, /site must be http or https/],
    [{ manifest: undefined }, /manifest is required/],
    [{ store: undefined }, /store is required/],
    [{ answerDeadlineMs: 5000 }, /WordPress gives up after 3 s/],
    [{ path: "xmlrpc" }, /path must be a path starting with "\/"/],
    [{ maxSourceBytes: -1 }, /maxSourceBytes must be an integer/],
    [{ perClient: { capacity: 0, refillPerSecond: 1 } }, /perClient must be/],
    [{ trusted: ["http://x.example/"] }, /trusted entries are host names/],
    [{ rebuildHook: { url: "nope" } }, /rebuildHook.url/],
    [{ allowPrivateNetworks: "yes" }, /allowPrivateNetworks must be/],
  ];
  for (const [override, message] of bad) {
    assert.throws(
      () => createReceiver({ ...base, ...override } as Parameters<typeof createReceiver>[0]),
      (error: Error) => error instanceof ReceiverOptionsError && message.test(error.message),
      JSON.stringify(override),
    );
  }
  store.close();
});

test("behind a proxy: the rightmost forwarded address is the client", async () => {
  assert.equal(forwardedAddress("198.51.100.7, 203.0.113.9"), "203.0.113.9");
  assert.equal(forwardedAddress(["198.51.100.7", "2001:db8::1"]), "2001:db8::1");
  assert.equal(forwardedAddress("203.0.113.9, not-an-ip"), undefined);
  assert.equal(forwardedAddress(undefined), undefined);
  const store = new SqlitePingbackStore(":memory:");
  const manifest = join(tmp.dir, "proxy-manifest.json");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const receiver = createReceiver({ site: SITE, manifest, store, fetchSource: linking });
  const running = await startNodeServer(receiver, {
    port: 0,
    clientAddressHeader: "X-Forwarded-For",
  });
  try {
    const response = await fetch(`${running.origin}/xmlrpc`, {
      method: "POST",
      headers: { "x-forwarded-for": "10.9.9.9, 203.0.113.50" },
      body: encodePingbackPing("https://blog.example/proxied", TARGET),
    });
    assert.equal(parseMethodResponse(await response.text()).kind, "success");
    assert.equal(store.find("https://blog.example/proxied", TARGET)?.clientIp, "203.0.113.50");
  } finally {
    await running.close();
    store.close();
  }
});

test("a store that fails still gets an XML-RPC fault 0, not a 500", async () => {
  const store = new SqlitePingbackStore(":memory:");
  const manifest = join(tmp.dir, "broken-manifest.json");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const events: string[] = [];
  const broken = new Proxy(store, {
    get(target, property) {
      if (property === "find") {
        return () => {
          throw new Error("disk I/O error");
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const receiver = createReceiver({
    site: SITE,
    manifest,
    store: broken,
    fetchSource: linking,
    log: (event) => events.push(event.event),
  });
  const response = await receiver(xmlrpc("https://blog.example/broken", TARGET));
  assert.equal(response.status, 200);
  const answer = parseMethodResponse(await response.text());
  assert.equal(answer.kind === "fault" && answer.faultCode, 0);
  assert.deepEqual(events, ["ping-error"]);
  await receiver.close();
  store.close();
});
