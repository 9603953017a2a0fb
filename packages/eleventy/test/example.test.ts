import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Manifest, Outbox } from "@static-pingback/core";
import { linkedPage } from "../../../test/support/manifest-pages.ts";

const example = fileURLToPath(new URL("../../../examples/eleventy-blog/", import.meta.url));
const SITE = "https://blog.example.org";
const LINK = '<link rel="pingback" href="https://pingback.example.org/xmlrpc">';
const read = (path: string) => readFile(join(example, path), "utf8");

/** The external links written in a Markdown post body, without fragments: what the manifest must hold. */
function markdownLinks(markdown: string): string[] {
  // One post links to the Astro example through global data (src/_data/peer.js).
  const body = markdown
    .slice(markdown.indexOf("---", 3) + 3)
    .replaceAll("{{ peer.astroBlog }}", "https://blog.example.com/");
  const links = [...body.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => {
    const url = new URL(m[1] as string);
    url.hash = "";
    return url.href;
  });
  return [...new Set(links)].sort();
}

describe("examples/eleventy-blog: a real build with the Eleventy CLI", () => {
  let log: string;
  before(async () => {
    await rm(join(example, "_site"), { recursive: true, force: true });
    await rm(join(example, ".pingback"), { recursive: true, force: true });
    const cli = join(example, "node_modules/@11ty/eleventy/cmd.cjs");
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli], {
      cwd: example,
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    log = stdout + stderr;
  });

  it("logs the summary line", () => {
    assert.match(
      log,
      /\[@static-pingback\/eleventy\] 11 pages \(10 taking part\), 19 outbound links, a first build: they are the baseline, not news/,
    );
  });

  it("puts the link element once in the head of every page but the 404, and not in the feed", async () => {
    const pages = ["index.html", "about/index.html", "posts/index.html"];
    for (const name of await readdir(join(example, "src/posts"))) {
      if (name.endsWith(".md"))
        pages.push(`posts/${name.replace(/^\d{4}-\d\d-\d\d-|\.md$/g, "")}/index.html`);
    }
    assert.equal(pages.length, 10);
    for (const page of pages) {
      const html = await read(`_site/${page}`);
      assert.equal(html.split(LINK).length, 2, page);
      assert.ok(html.indexOf(LINK) < html.indexOf("</head>"), page);
    }
    assert.doesNotMatch(await read("_site/404.html"), /rel="pingback"/);
    assert.doesNotMatch(await read("_site/feed.xml"), /rel="pingback"/);
  });

  it("records exactly the links of each post body: no nav, footer or same-site links", async () => {
    const manifest = JSON.parse(await read(".pingback/manifest.json")) as Manifest;
    for (const name of await readdir(join(example, "src/posts"))) {
      if (!name.endsWith(".md")) continue;
      const url = `${SITE}/posts/${name.replace(/^\d{4}-\d\d-\d\d-|\.md$/g, "")}/`;
      const expected = markdownLinks(await read(`src/posts/${name}`));
      assert.ok(expected.length >= 2, name);
      assert.deepEqual(linkedPage(manifest.pages[url]), { pingback: true, links: expected }, url);
    }
    const all = Object.values(manifest.pages).flatMap((page) => page.links);
    for (const chrome of [
      "https://github.com/robin-example",
      "https://social.example/@robin",
      "https://www.11ty.dev/",
    ]) {
      assert.ok(!all.includes(chrome), `${chrome} is template chrome`);
    }
    assert.deepEqual(manifest.pages[`${SITE}/about/`]?.links, ["https://indieweb.org/"]);
    assert.equal(await read("_site/pingback-manifest.json"), await read(".pingback/manifest.json"));
    const outbox = JSON.parse(await read(".pingback/outbox.json")) as Outbox;
    assert.equal(outbox.previousGeneratedAt, null);
    assert.equal(outbox.added.length, 0, "a first build's outbox lists no pair");
  });

  it("renders the sample received pingbacks, escaped, on the posts they target", async () => {
    const first = await read("_site/posts/why-pingback/index.html");
    assert.match(
      first,
      /<li class="pingbacks__item h-cite"><a class="pingbacks__title u-url p-name" href="https:\/\/kim\.example\.de\/notizen\/pingbacks" hreflang="de" lang="de">Pingbacks für statische Seiten<\/a>/,
    );
    assert.equal(first.match(/class="pingbacks__item h-cite"/g)?.length, 2);
    const last = await read("_site/posts/rendering/index.html");
    assert.match(last, /&lt;b&gt;Hostile&lt;\/b&gt; title/);
    assert.doesNotMatch(
      last.slice(last.indexOf('<section class="pingbacks"')),
      /<script|<img|javascript:/,
    );
    assert.doesNotMatch(await read("_site/posts/spam/index.html"), /class="pingbacks/);
  });
});
