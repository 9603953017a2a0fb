import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import type { EleventyConfig } from "../src/eleventy-config.ts";
import staticPingback, { ELEVENTY_RANGE } from "../src/index.ts";
import { resolveEleventyOptions } from "../src/options.ts";
import { siteBase } from "../src/page-url.ts";

describe("Eleventy plugin: version check and options", () => {
  it("checks Eleventy against its own declared peer range before anything else", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    assert.equal(ELEVENTY_RANGE, pkg.peerDependencies["@11ty/eleventy"]);
    const checked: string[] = [];
    const config = {
      versionCheck(range: string) {
        checked.push(range);
        throw new Error(`We found Eleventy version '2.0.1' which does not meet '${range}'`);
      },
    } as unknown as EleventyConfig;
    assert.throws(() => staticPingback(config, { site: "https://e.com" }), /does not meet '\^3/);
    assert.deepEqual(checked, [ELEVENTY_RANGE]);
    assert.throws(
      () => staticPingback({} as EleventyConfig, { site: "https://e.com" }),
      /@static-pingback\/eleventy\] needs Eleventy \^3/,
    );
  });

  it("stops on a Node older than the floor before anything else", () => {
    const real = Object.getOwnPropertyDescriptor(process.versions, "node") as PropertyDescriptor;
    Object.defineProperty(process.versions, "node", { ...real, value: "22.13.0" });
    const checked: string[] = [];
    const config = {
      versionCheck: (range: string) => checked.push(range),
    } as unknown as EleventyConfig;
    try {
      assert.throws(
        () => staticPingback(config, { site: "https://e.com" }),
        /^\w+: \[@static-pingback\/eleventy\] needs Node\.js 22\.19\.0 or newer, found 22\.13\.0\./,
      );
    } finally {
      Object.defineProperty(process.versions, "node", real);
    }
    assert.deepEqual(checked, [], "nothing else ran");
  });

  it("refuses a render.lang that is not a language tag, naming the option", () => {
    assert.throws(
      () => resolveEleventyOptions({ site: "https://e.com", render: { lang: "en_GB!" } }),
      /option "render\.lang" must be a language tag such as "en" or "de-CH", got "en_GB!"/,
    );
    assert.equal(
      resolveEleventyOptions({ site: "https://e.com", render: { lang: "de-CH" } }).render.lang,
      "de-CH",
    );
  });

  it("takes the newer markup options in render (replies, groups, avatars)", () => {
    const render = {
      repliedText: "answered",
      maxExcerptLength: 120,
      groupHeadings: { replies: "Answers" },
      avatars: false,
    };
    assert.deepEqual(resolveEleventyOptions({ site: "https://e.com", render }).render, render);
  });

  it("fills adapter defaults and passes the shared options to core", () => {
    const resolved = resolveEleventyOptions({ site: "https://e.com/blog", received: "r.json" });
    assert.equal(resolved.core.site.href, "https://e.com/blog/");
    assert.equal(resolved.publishManifest, true);
    assert.equal(resolved.pageCache, true);
    assert.equal(resolved.writeOutboxWhenWatching, false);
    assert.equal(resolved.previousManifest, undefined);
    assert.equal(resolved.received?.kind, "file");
  });

  it("takes the base path from site, else from pathPrefix", () => {
    const root = new URL("https://e.com/");
    const blog = new URL("https://e.com/blog/");
    assert.equal(siteBase(root, "/").base.href, "https://e.com/");
    assert.equal(siteBase(root, "/blog/").base.href, "https://e.com/blog/");
    assert.equal(siteBase(root, "blog").base.href, "https://e.com/blog/");
    assert.deepEqual(siteBase(blog, "/blog/"), { base: blog, conflict: false });
    assert.deepEqual(siteBase(blog, "/other/"), { base: blog, conflict: true });
  });
});
