import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { before, describe, it } from "node:test";
import staticPingback from "../src/index.ts";
import { buildSite, captureOutput, fixtureRoot, workDir } from "./helpers/build-fixture.ts";

describe("<Pingbacks /> and the data functions, in a real build", () => {
  let out: string;
  let output: string;
  before(async () => {
    const work = await workDir("received");
    const root = fixtureRoot("received");
    ({ output } = await captureOutput(() =>
      buildSite(root, work, {
        site: "https://example.com",
        base: "/blog",
        logLevel: "warn",
        integrations: [
          staticPingback({
            received: "data/pingbacks.json",
            stateDir: path.join(work, ".pingback"),
            endpoint: "https://example.com/xmlrpc",
          }),
        ],
      }),
    ));
    out = path.join(work, "dist");
  });

  const page = (name: string) => readFile(path.join(out, name, "index.html"), "utf8");
  const between = (html: string, id: string) => {
    const start = html.indexOf(`<div id="${id}">`) + `<div id="${id}">`.length;
    return html.slice(start, html.indexOf("</div>", start));
  };

  it("renders the page's citing posts as h-cite markup", async () => {
    const html = between(await page("posts/hello"), "component");
    assert.match(
      html,
      /^<section class="pingbacks" data-no-pingback><h2 class="pingbacks__heading">Posts linking here<\/h2><ol class="pingbacks__list">/,
    );
    assert.equal(html.match(/<li class="pingbacks__item h-cite"/g)?.length, 2);
    assert.match(
      html,
      /<a class="pingbacks__title u-url p-name" href="https:\/\/friend.example.org\/2024\/a-reply" hreflang="en" lang="en">A friendly reply<\/a>/,
    );
    assert.match(
      html,
      /<a class="pingbacks__author p-author h-card" href="https:\/\/friend.example.org\/">Friend<\/a>/,
    );
    assert.match(
      html,
      /<time class="pingbacks__date dt-published" datetime="2024-05-01T09:00:00.000Z">May 1, 2024<\/time>/,
    );
    assert.doesNotMatch(html, /Not about hello/);
  });

  it("<Mentions /> is <Pingbacks /> under the IndieWeb's name", async () => {
    const html = await page("mentions");
    const mentions = between(html, "mentions");
    assert.match(mentions, /<li class="pingbacks__item h-cite"/);
    assert.equal(mentions, between(html, "pingbacks"));
  });

  it("reads as a sentence, with words and dates in the language it is given", async () => {
    const hello = await page("posts/hello");
    const text = (id: string) => between(hello, id).replace(/<[^>]+>/g, "");
    assert.match(text("component"), /A friendly reply, by Friend on May 1, 2024/);
    assert.match(text("german"), /A friendly reply, von Friend am 1\. Mai 2024/);
  });

  it("escapes hostile entry data", async () => {
    const html = between(await page("posts/hello"), "component");
    // Text may mention "onerror=", escaped; no tag, attribute or URL scheme may get through.
    assert.doesNotMatch(html, /<script|<img|<svg|javascript:|onmouseover/i);
    assert.doesNotMatch(html, / on[a-z]+="/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&quot;&gt;&lt;svg onload=alert\(3\)&gt;/);
  });

  it("renders nothing without entries, or the empty text when asked", async () => {
    const html = await page("posts/quiet");
    assert.equal(between(html, "none"), "");
    assert.equal(
      between(html, "empty"),
      '<section class="pingbacks pingbacks--empty" data-no-pingback><h3 class="pingbacks__heading">Links</h3><p class="pingbacks__empty">No posts link here yet.</p></section>',
    );
  });

  it("gives the entries as data for custom markup", async () => {
    const html = await page("posts/custom");
    assert.match(html, /<p id="counts">2 of 3<\/p>/);
    assert.match(html, /<li>A friendly reply<\/li>/);
  });

  it("gives the entries as a content collection through pingbackLoader", async () => {
    const html = await page("posts/collection");
    const items = [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1]);
    assert.equal(items.length, 3);
    assert.ok(items.includes("A friendly reply | https://example.com/blog/posts/hello/"));
  });

  it("loads the source once per build and warns about nothing when it is fine", () => {
    assert.doesNotMatch(output, /static-pingback/);
  });
});

describe("<Pingbacks /> when the received source is down", () => {
  it("builds anyway, renders nothing and says why in Astro's log", async () => {
    const work = await workDir("received-down");
    const { output } = await captureOutput(() =>
      buildSite(fixtureRoot("received"), work, {
        site: "https://example.com",
        base: "/blog",
        logLevel: "warn",
        integrations: [
          staticPingback({
            // Nothing listens on the discard port of the loopback address.
            received: {
              url: "http://127.0.0.1:9/pingbacks.json",
              cacheDir: path.join(work, "cache"),
            },
            stateDir: path.join(work, ".pingback"),
          }),
        ],
      }),
    );
    const html = await readFile(path.join(work, "dist/posts/hello/index.html"), "utf8");
    assert.match(html, /<div id="component"><\/div>/);
    assert.match(output, /\[@static-pingback\/astro\].*127\.0\.0\.1:9/);
    assert.match(output, /building without received pingbacks/);
  });
});

describe("<Pingbacks /> with the authors' photos saved at build time", () => {
  it("copies each photo into the output and shows it from there, under the base path", async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 2),
    ]);
    let origin = "";
    const server = createServer((request, response) => {
      if (request.url === "/ann.png") {
        response.writeHead(200, { "content-type": "image/png" }).end(png);
        return;
      }
      const like = {
        "wm-source": "https://ann.example/likes/1",
        "wm-target": "https://example.com/blog/posts/hello/",
        "wm-property": "like-of",
        "wm-protocol": "webmention",
        "wm-received": "2026-11-27T10:00:00Z",
        author: { type: "card", name: "Ann", photo: `${origin}/ann.png` },
      };
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ type: "feed", children: [like] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const work = await workDir("received-avatars");
      await captureOutput(() =>
        buildSite(fixtureRoot("received"), work, {
          site: "https://example.com",
          base: "/blog",
          logLevel: "warn",
          integrations: [
            staticPingback({
              received: {
                url: `${origin}/feed.json`,
                cacheDir: path.join(work, "cache"),
                avatars: { allowPrivateNetworks: true },
              },
              stateDir: path.join(work, ".pingback"),
              endpoint: "https://example.com/xmlrpc",
            }),
          ],
        }),
      );
      const html = await readFile(path.join(work, "dist/posts/hello/index.html"), "utf8");
      const src = /<img class="pingbacks__avatar u-photo" src="([^"]+)"/.exec(html)?.[1] ?? "";
      assert.match(src, /^\/blog\/_pingback-avatars\/[0-9a-f]{40}\.png$/);
      assert.doesNotMatch(html, /127\.0\.0\.1/, "readers never ask the photo's own host");
      const copy = await readFile(path.join(work, "dist", src.slice("/blog/".length)));
      assert.deepEqual(copy, png);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
