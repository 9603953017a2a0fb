import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, it } from "node:test";
import { createHttpClient } from "../../src/net/index.ts";
import {
  discoverEndpoint,
  expandPingbackEntities,
  findPingbackLink,
} from "../../src/send/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";

const WP_LINK = '<link rel="pingback" href="https://blog.example/xmlrpc.php">';

function page(res: ServerResponse, body: string, headers: Record<string, string | string[]> = {}) {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(body);
}

describe("findPingbackLink (spec regex)", () => {
  it("matches both exact forms and expands only the four entities", () => {
    assert.equal(
      findPingbackLink('<link rel="pingback" href="https://a.example/x" />'),
      "https://a.example/x",
    );
    assert.equal(
      findPingbackLink('<link rel="pingback" href="https://a.example/x"/>'),
      "https://a.example/x",
    );
    assert.equal(
      findPingbackLink(
        '<link rel="pingback" href="https://a.example/x?a=1&amp;b=&quot;2&quot;&amp;lt;">',
      ),
      'https://a.example/x?a=1&b="2"&lt;',
    );
    assert.equal(expandPingbackEntities("&apos;&#38;&nbsp;"), "&apos;&#38;&nbsp;");
  });

  it("does not match single quotes, other attribute order or extra attributes", () => {
    assert.equal(findPingbackLink("<link rel='pingback' href='https://a.example/x'>"), undefined);
    assert.equal(findPingbackLink('<link href="https://a.example/x" rel="pingback">'), undefined);
    assert.equal(findPingbackLink('<link rel="pingback"  href="https://a.example/x">'), undefined);
    assert.equal(findPingbackLink('<LINK REL="pingback" HREF="https://a.example/x">'), undefined);
  });
});

describe("discoverEndpoint on loopback servers", () => {
  let server: Loopback;
  let other: Loopback;
  before(async () => {
    other = await startLoopback((_req, res) => page(res, "no link here"));
    server = await startLoopback((req, res) => {
      const path = req.url ?? "/";
      if (path === "/header-only")
        page(res, "<p>hi</p>", { "x-pingback": "https://h.example/xmlrpc" });
      else if (path === "/link-only")
        page(res, `<html><head>${"<!-- pad -->".repeat(1500)}${WP_LINK}</head></html>`);
      else if (path === "/both")
        page(res, `<head>${WP_LINK}</head>`, { "x-pingback": "https://h.example/rpc" });
      else if (path === "/two-headers")
        page(res, "", {
          "x-pingback": ["https://first.example/rpc", "https://second.example/rpc"],
        });
      else if (path === "/after-64k") page(res, `<head>${"x".repeat(70 * 1024)}${WP_LINK}</head>`);
      else if (path === "/comment") page(res, `<head><!-- ${WP_LINK} --></head>`);
      else if (path === "/entities")
        page(res, '<link rel="pingback" href="https://e.example/rpc?a=1&amp;b=2">');
      else if (path === "/single") page(res, "<link rel='pingback' href='https://e.example/rpc'>");
      else if (path === "/relative") page(res, '<link rel="pingback" href="/xmlrpc.php">');
      else if (path === "/relative-header") page(res, "", { "x-pingback": "/xmlrpc.php" });
      else if (path === "/empty-header") page(res, WP_LINK, { "x-pingback": "" });
      else if (path === "/ftp") page(res, '<link rel="pingback" href="ftp://e.example/rpc">');
      else if (path === "/redirect") res.writeHead(301, { location: "/link-only" }).end();
      else if (path === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else if (path === "/to-blocked")
        res.writeHead(302, { location: `http://127.0.0.2:${other.port}/` }).end();
      else if (path === "/image") {
        res.writeHead(200, {
          "content-type": "image/jpeg",
          "x-pingback": "https://img.example/rpc",
        });
        res.end(Buffer.alloc(10_000));
      } else if (path === "/image-no-header") {
        res.writeHead(200, { "content-type": "image/jpeg" });
        res.end(Buffer.from(WP_LINK));
      } else if (path === "/drip") {
        res.writeHead(200, { "content-type": "text/html" });
        const timer = setInterval(() => res.write(" "), 25);
        res.on("close", () => clearInterval(timer));
      } else if (path === "/huge") {
        // 50 MB offered; only the prefix may be read.
        res.writeHead(200, {
          "content-type": "text/html",
          "content-length": String(50 * 1024 * 1024),
        });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 50 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        pump();
      } else if (path === "/gone")
        res.writeHead(410, { "x-pingback": "https://h.example/rpc" }).end("gone");
      else if (path === "/busy") res.writeHead(503).end();
      else res.writeHead(404).end();
    });
  });
  after(async () => {
    await server.close();
    await other.close();
  });

  const client = createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"], timeoutMs: 2_000 });
  after(() => client.close());
  const discover = (path: string, timeoutMs?: number) =>
    discoverEndpoint(client, `${server.url}${path}`, timeoutMs ? { timeoutMs } : {});

  it("uses the X-Pingback header", async () => {
    const found = await discover("/header-only");
    assert.equal(found.endpoint, "https://h.example/xmlrpc");
    assert.equal(found.via, "header");
  });

  it("finds the link element well past byte 18,000 (WordPress)", async () => {
    const found = await discover("/link-only");
    assert.equal(found.endpoint, "https://blog.example/xmlrpc.php");
    assert.equal(found.via, "link");
  });

  it("lets the header win when both disagree, and the first of two headers win", async () => {
    const both = await discover("/both");
    assert.equal(both.endpoint, "https://h.example/rpc");
    assert.equal(both.via, "header");
    const two = await discover("/two-headers");
    assert.match(two.endpoint ?? "", /^https:\/\/first\.example\/rpc/);
  });

  it("does not search past the 64 KiB prefix", async () => {
    const found = await discover("/after-64k");
    assert.equal(found.endpoint, undefined);
    assert.match(found.reason, /first 65536 bytes/);
  });

  it("matches a link inside a comment, as the spec regex does", async () => {
    assert.equal((await discover("/comment")).endpoint, "https://blog.example/xmlrpc.php");
  });

  it("expands entities in href and ignores single-quoted links", async () => {
    assert.equal((await discover("/entities")).endpoint, "https://e.example/rpc?a=1&b=2");
    const single = await discover("/single");
    assert.equal(single.endpoint, undefined);
    assert.equal(single.via, "none");
  });

  it("treats relative, empty and non-http endpoints as none, saying why", async () => {
    const relative = await discover("/relative");
    assert.equal(relative.endpoint, undefined);
    assert.match(relative.reason, /not an absolute URI/);
    assert.match(
      (await discover("/relative-header")).reason,
      /X-Pingback header .*not an absolute/,
    );
    assert.match((await discover("/empty-header")).reason, /X-Pingback header is empty/);
    assert.match((await discover("/ftp")).reason, /not http\(s\)/);
  });

  it("follows redirects, and reports loops and disallowed hops", async () => {
    const redirected = await discover("/redirect");
    assert.equal(redirected.endpoint, "https://blog.example/xmlrpc.php");
    assert.equal(redirected.redirects?.length, 1);
    assert.equal((await discover("/loop")).error?.code, "redirect-loop");
    const blocked = await discover("/to-blocked");
    assert.equal(blocked.error?.code, "blocked-address");
    assert.equal(other.requests.length, 0);
  });

  it("reads headers of images but never their bodies", async () => {
    const withHeader = await discover("/image");
    assert.equal(withHeader.endpoint, "https://img.example/rpc");
    const without = await discover("/image-no-header");
    assert.equal(without.endpoint, undefined);
    assert.equal(without.bytesSearched, 0);
    assert.match(without.reason, /image\/jpeg/);
  });

  it("gives up on a slow-drip body at the timeout", async () => {
    const found = await discover("/drip", 300);
    assert.equal(found.error?.code, "timeout");
  });

  it("reads only a prefix of a 50 MB body", async () => {
    const found = await discover("/huge");
    assert.equal(found.endpoint, undefined);
    assert.equal(found.bytesSearched, 64 * 1024);
  });

  it("reports HTTP errors of the target", async () => {
    const gone = await discover("/gone");
    assert.equal(gone.status, 410);
    assert.equal(gone.endpoint, undefined);
    assert.equal((await discover("/busy")).status, 503);
  });
});
