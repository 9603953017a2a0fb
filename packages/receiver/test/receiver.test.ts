import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Jf2Feed } from "../src/export/jf2.ts";
import {
  DISABLED,
  html,
  page,
  ping,
  pythonCall,
  pythonPing,
  type SourceServer,
  startReceiver,
  startSourceServer,
  TARGET,
  type TestReceiver,
  tempDir,
} from "./helpers.ts";

const tmp = tempDir();
let source: SourceServer;
let rx: TestReceiver;

before(async () => {
  source = await startSourceServer();
  rx = await startReceiver(tmp.dir, {
    allowPrivateNetworks: true,
    trusted: ["trusted.localhost"],
    answerDeadlineMs: 2500,
    // Every source here is on one loopback host: the default per-host bucket (5) would refuse.
    perSourceHost: { capacity: 100, refillPerSecond: 1 },
    perSourceAddress: { capacity: 100, refillPerSecond: 1 },
    maxVerificationsPerClient: 100,
    perClient: { capacity: 100, refillPerSecond: 1 },
  });
});
after(async () => {
  await rx.close();
  await source.close();
  tmp.remove();
});

// Concurrent: the 5 s source must not add 5 s to the file.
describe("receiver over HTTP", { concurrency: true }, () => {
  test("python's xmlrpc.client: success, then 48 for the same pair, stored as pending", async () => {
    source.route(
      "/py",
      page(
        html(
          `<article class="h-entry"><h1 class="p-name">Py post</h1><p>I cite <a href="${TARGET}">hello</a>.</p></article>`,
        ),
      ),
    );
    const first = await pythonPing(rx.endpoint, `${source.origin}/py`, TARGET);
    assert.match(first.result ?? "", /registered/);
    assert.deepEqual(await pythonPing(rx.endpoint, `${source.origin}/py`, TARGET), { fault: 48 });
    const row = rx.store.find(`${source.origin}/py`, TARGET);
    assert.equal(row?.status, "pending");
    assert.equal(row?.post.title, "Py post");
    assert.equal(row?.clientIp, "127.0.0.1");
    const seen = source.requests.find((r) => r.path === "/py");
    assert.match(
      String(seen?.headers["user-agent"]),
      /static-pingback\/.*verifying pingback from 127\.0\.0\.1/,
    );
    assert.equal(seen?.headers["x-pingback-forwarded-for"], "127.0.0.1");
  });

  test("python's xmlrpc.client sees every fault code", async () => {
    source.route("/nolink", page(html("<p>nothing here</p>")));
    const cases: Array<[string, string, number]> = [
      [`${source.origin}/missing`, TARGET, 16],
      [`${source.origin}/nolink`, TARGET, 17],
      [`${source.origin}/nolink`, "https://site.example/nope/", 32],
      [`${source.origin}/nolink`, DISABLED, 33],
      [TARGET, TARGET, 0],
      ["https://site.example/posts/second/", TARGET, 0],
    ];
    const answers = await Promise.all(cases.map(([s, t]) => pythonPing(rx.endpoint, s, t)));
    assert.deepEqual(
      answers.map((a) => a.fault),
      cases.map(([, , code]) => code),
    );
  });

  test("python's xmlrpc.client: unknown method, bad parameters, rate limit", async () => {
    assert.deepEqual(await pythonCall(rx.endpoint, "system.listMethods", []), { fault: -32601 });
    assert.deepEqual(await pythonCall(rx.endpoint, "pingback.ping", [TARGET]), { fault: -32602 });
    const limited = await startReceiver(
      tmp.dir,
      { allowPrivateNetworks: true, perClient: { capacity: 1, refillPerSecond: 0.001 } },
      "py-limited",
    );
    try {
      source.route("/py-limit", page(html(`<a href="${TARGET}">x</a>`)));
      assert.match(
        (await pythonPing(limited.endpoint, `${source.origin}/py-limit`, TARGET)).result ?? "",
        /registered/,
      );
      assert.deepEqual(
        await pythonPing(limited.endpoint, `${source.origin}/py-limit?again`, TARGET),
        { fault: 49 },
      );
    } finally {
      await limited.close();
    }
  });

  test("a source that takes 5 s is answered 'queued' in time, then verified in the background", async () => {
    source.route("/slow", (_req, res) => {
      setTimeout(() => page(html(`<a href="${TARGET}">slow</a>`, "Slow"))(_req, res), 5000);
    });
    const answer = await ping(rx.endpoint, `${source.origin}/slow`, TARGET);
    assert.equal(answer.kind, "success");
    assert.match(String(answer.kind === "success" && answer.value), /being verified/);
    assert.equal(rx.store.find(`${source.origin}/slow`, TARGET)?.verification, "queued");
    // A re-send meanwhile (WordPress re-pings on every edit) is a fast duplicate.
    assert.equal((await ping(rx.endpoint, `${source.origin}/slow`, TARGET)).kind, "fault");
    await rx.receiver.idle();
    const row = rx.store.find(`${source.origin}/slow`, TARGET);
    assert.equal(row?.verification, "verified");
    assert.equal(row?.post.title, "Slow");
    assert.equal(source.requests.filter((r) => r.path === "/slow").length, 1);
  });

  test("20 clients pinging the same pair at once: one row, one source fetch", async () => {
    source.route("/same", page(html(`<a href="${TARGET}">same</a>`)));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => ping(rx.endpoint, `${source.origin}/same`, TARGET)),
    );
    assert.equal(answers.filter((a) => a.kind === "success").length, 1);
    assert.ok(answers.every((a) => a.kind === "success" || a.code === 48));
    assert.equal(rx.store.count({ target: TARGET }), rx.store.list({ target: TARGET }).length);
    assert.equal(rx.store.list().filter((r) => r.source === `${source.origin}/same`).length, 1);
    assert.equal(source.requests.filter((r) => r.path === "/same").length, 1);
  });

  test("JF2 export: approved only, webmention.io shape, ETag/304, paging, CORS", async () => {
    source.route(
      "/jf2",
      page(
        html(
          `<p class="h-card"><span class="p-name">Jo</span></p><p>See <a href="${TARGET}#x">it</a></p>`,
          "Jo's post",
        ),
      ),
    );
    assert.equal((await ping(rx.endpoint, `${source.origin}/jf2`, TARGET)).kind, "success");
    const id = rx.store.find(`${source.origin}/jf2`, TARGET)?.id as number;
    const exportUrl = `${rx.origin}/pingbacks.jf2`;
    const before = (await (await fetch(exportUrl)).json()) as Jf2Feed;
    assert.equal(
      before.children.some((e) => e["wm-id"] === id),
      false,
    );
    rx.store.setStatus([id], "approved");
    const response = await fetch(
      `${exportUrl}?target=${encodeURIComponent("https://site.example/posts/hello")}`,
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.match(response.headers.get("content-type") ?? "", /json/);
    const feed = (await response.json()) as Jf2Feed;
    assert.equal(feed.type, "feed");
    const entry = feed.children.find((e) => e["wm-id"] === id);
    assert.ok(entry);
    assert.deepEqual(
      {
        source: entry["wm-source"],
        target: entry["wm-target"],
        property: entry["wm-property"],
        protocol: entry["wm-protocol"],
        name: entry.name,
        author: entry.author,
        url: entry.url,
      },
      {
        source: `${source.origin}/jf2`,
        target: TARGET,
        property: "mention-of",
        protocol: "pingback",
        name: "Jo's post",
        author: { type: "card", name: "Jo", url: "", photo: "" },
        url: `${source.origin}/jf2`,
      },
    );
    assert.ok(Date.parse(entry["wm-received"]) > 0);
    assert.equal(entry.content?.text, "See it");
    const etag = response.headers.get("etag") as string;
    const again = await fetch(`${exportUrl}?target=${encodeURIComponent(TARGET)}`, {
      headers: { "if-none-match": etag },
    });
    assert.equal(again.status, 304);
    // A second approved row of this test's own, for paging (other tests run concurrently).
    source.route("/jf2b", page(html(`<a href="${TARGET}">again</a>`)));
    assert.equal((await ping(rx.endpoint, `${source.origin}/jf2b`, TARGET)).kind, "success");
    rx.store.setStatus([rx.store.find(`${source.origin}/jf2b`, TARGET)?.id as number], "approved");
    const paged = await fetch(`${exportUrl}?per-page=1&page=0`);
    assert.match(paged.headers.get("link") ?? "", /offset=1.*rel="next"/);
    assert.equal(((await paged.json()) as Jf2Feed).children.length, 1);
    assert.equal(
      ((await fetch(`${exportUrl}?since=2999-01-01T00:00:00Z`).then((r) => r.json())) as Jf2Feed)
        .children.length,
      0,
    );
    assert.equal((await fetch(`${exportUrl}?per-page=0`)).status, 400);
    assert.equal((await fetch(exportUrl, { method: "OPTIONS" })).status, 204);
    const health = (await (await fetch(`${rx.origin}/healthz`)).json()) as {
      ok: boolean;
      pages: number;
    };
    assert.equal(health.ok, true);
    // Pages of the manifest, not the URL variants each is indexed under.
    assert.equal(health.pages, 3);
  });

  test("trusted hosts are approved at once", async () => {
    // "trusted.localhost" is not resolvable here; a stub fetcher stands in for the network.
    const { startReceiver: start } = await import("./helpers.ts");
    const trustedRx = await start(
      tmp.dir,
      {
        trusted: ["*.example.net"],
        blocked: ["spam.example.org"],
        fetchSource: async (url) => ({
          ok: true,
          source: {
            url,
            contentType: "text/html",
            body: new TextEncoder().encode(`<a href="${TARGET}">x</a>`),
          },
        }),
      },
      "trusted",
    );
    try {
      assert.equal(
        (await ping(trustedRx.endpoint, "https://blog.example.net/p", TARGET)).kind,
        "success",
      );
      assert.equal(trustedRx.store.find("https://blog.example.net/p", TARGET)?.status, "approved");
      assert.equal(
        (await ping(trustedRx.endpoint, "https://spam.example.org/p", TARGET)).kind,
        "success",
      );
      assert.equal(trustedRx.store.find("https://spam.example.org/p", TARGET)?.status, "spam");
    } finally {
      await trustedRx.close();
    }
  });
});
