import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createHttpClient } from "../../src/net/index.ts";
import { discoverEndpoint, sendWebmention, webmentionBody } from "../../src/send/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";

const SOURCE = "https://me.example/post/?a=1&b=2";
const TARGET = "https://them.example/p/é";

describe("sendWebmention on loopback", () => {
  let site: Loopback;
  let other: Loopback;
  before(async () => {
    other = await startLoopback((_req, res) => res.writeHead(202).end());
    site = await startLoopback((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/ok") res.writeHead(200).end("ok");
      else if (path === "/created") res.writeHead(201, { location: "/status/7" }).end();
      else if (path === "/accepted") res.writeHead(202, { location: "https://s.example/x" }).end();
      else if (path === "/bad") res.writeHead(400, { "content-type": "text/plain" }).end("no link");
      else if (path === "/slow-down") res.writeHead(429, { "retry-after": "120" }).end();
      else if (path === "/down") res.writeHead(503).end();
      else if (path === "/moved-here") res.writeHead(307, { location: "/ok" }).end();
      else if (path === "/moved-away")
        res.writeHead(307, { location: `${other.url}/webmention` }).end();
      else if (path === "/found") res.writeHead(302, { location: "/ok" }).end();
      else res.writeHead(404).end();
    });
  });
  after(async () => {
    await site.close();
    await other.close();
  });
  const client = createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"], timeoutMs: 2_000 });
  after(() => client.close());
  const send = (path: string) => sendWebmention(client, `${site.url}${path}`, SOURCE, TARGET);
  const last = () => site.requests.at(-1);

  it("POSTs source and target form-encoded, the endpoint's query kept in its URL", async () => {
    const result = await send("/ok?token=x&source=no");
    assert.equal(result.status, "sent");
    const request = last();
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/ok?token=x&source=no");
    assert.equal(request?.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(request?.body, webmentionBody(SOURCE, TARGET));
    const form = new URLSearchParams(request?.body);
    assert.deepEqual(
      [...form.entries()],
      [
        ["source", SOURCE],
        ["target", TARGET],
      ],
    );
  });

  it("records the status URL of a 201 or 202", async () => {
    const created = await send("/created");
    assert.equal(created.status, "sent");
    assert.equal(created.statusUrl, `${site.url}/status/7`);
    const accepted = await send("/accepted");
    assert.equal(accepted.statusUrl, "https://s.example/x");
    assert.equal(accepted.httpStatus, 202);
  });

  it("takes 400 as a refusal for good, 429 and 5xx as transient with Retry-After", async () => {
    const bad = await send("/bad");
    assert.equal(bad.status, "rejected");
    assert.equal(bad.httpStatus, 400);
    assert.match(bad.message, /no link/);
    const slow = await send("/slow-down");
    assert.equal(slow.status, "failed");
    assert.equal(slow.retryAfterMs, 120_000);
    const down = await send("/down");
    assert.equal(down.status, "failed");
    assert.equal(down.httpStatus, 503);
  });

  it("repeats the POST on a 307 within the host; never follows one to another host or a 302", async () => {
    const here = await send("/moved-here");
    assert.equal(here.status, "sent");
    assert.equal(last()?.url, "/ok");
    assert.equal(last()?.method, "POST");
    assert.equal(last()?.body, webmentionBody(SOURCE, TARGET));
    const away = await send("/moved-away");
    assert.equal(away.status, "rejected");
    assert.match(away.message, /another host/);
    assert.equal(other.requests.length, 0);
    const found = await send("/found");
    assert.equal(found.status, "rejected");
    assert.equal(last()?.url, "/found");
  });
});

describe("discoverEndpoint: one protocol per target", () => {
  let site: Loopback;
  before(async () => {
    site = await startLoopback((req, res) => {
      const path = req.url ?? "/";
      const html = (head: string) => `<html><head>${head}</head><body>post</body></html>`;
      if (path === "/pingback-only") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(html('<link rel="pingback" href="https://pb.example/xmlrpc">'));
      } else if (path === "/pingback-header") {
        res.writeHead(200, { "content-type": "text/html", "x-pingback": "https://pb.example/rpc" });
        res.end(html(""));
      } else if (path === "/both") {
        res.writeHead(200, { "content-type": "text/html", "x-pingback": "https://pb.example/rpc" });
        res.end(html('<link rel="webmention" href="/wm?x=1">'));
      } else if (path === "/a-element") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(html("").replace("post", '<a rel="webmention" href="/wm-a">wm</a>'));
      } else {
        res.writeHead(200, { "content-type": "text/html" }).end(html(""));
      }
    });
  });
  after(() => site.close());
  const client = createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"], timeoutMs: 2_000 });
  after(() => client.close());

  it("gives Webmention to a target that advertises both", async () => {
    const found = await discoverEndpoint(client, `${site.url}/both`);
    assert.equal(found.protocol, "webmention");
    assert.equal(found.endpoint, `${site.url}/wm?x=1`);
    assert.equal(found.foundIn, "html-link");
    assert.match(found.reason, /Webmention wins/);
  });

  it("falls back to Pingback: the header, then the spec's regex", async () => {
    const header = await discoverEndpoint(client, `${site.url}/pingback-header`);
    assert.equal(header.protocol, "pingback");
    assert.equal(header.foundIn, "x-pingback");
    assert.equal(header.endpoint, "https://pb.example/rpc");
    const link = await discoverEndpoint(client, `${site.url}/pingback-only`);
    assert.equal(link.protocol, "pingback");
    assert.equal(link.foundIn, "html-regex");
    assert.match(link.webmention ?? "", /no Link header/);
  });

  it("finds an <a> element, and says none when there is neither", async () => {
    const a = await discoverEndpoint(client, `${site.url}/a-element`);
    assert.equal(a.protocol, "webmention");
    assert.equal(a.foundIn, "html-a");
    const none = await discoverEndpoint(client, `${site.url}/none`);
    assert.equal(none.protocol, null);
    assert.equal(none.endpoint, undefined);
    assert.equal(none.foundIn, undefined);
    assert.match(none.reason, /no Webmention endpoint, no X-Pingback header/);
  });
});
