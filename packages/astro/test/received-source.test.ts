import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReceivedEntry } from "@static-pingback/core/received";
import { createPingbackSource, pageKey } from "../src/received-source.ts";

const site = new URL("https://example.com/blog/");

function entry(target: string, title: string): ReceivedEntry {
  return {
    source: `https://${title}.example.org/`,
    target,
    protocol: "pingback",
    property: "mention-of",
    received: "2024-05-01T00:00:00.000Z",
    published: null,
    title,
    author: null,
    lang: null,
  };
}

describe("pageKey", () => {
  it("puts Astro.url's path (with base) on the site's origin", () => {
    const devUrl = new URL("http://localhost:4321/blog/posts/a/");
    assert.equal(pageKey(devUrl, site, "directory"), "https://example.com/blog/posts/a/");
    assert.equal(pageKey("/blog/posts/a/", site, "directory"), "https://example.com/blog/posts/a/");
  });

  it("drops the .html Astro.url has in file builds, but not /index.html", () => {
    const url = new URL("https://example.com/blog/posts/a.html");
    assert.equal(pageKey(url, site, "file"), "https://example.com/blog/posts/a");
    assert.equal(pageKey(url, site, "directory"), "https://example.com/blog/posts/a.html");
    const index = new URL("https://example.com/blog/index.html");
    assert.equal(pageKey(index, site, "file"), "https://example.com/blog/index.html");
  });

  it("leaves a path relative to the site root for core to resolve against the base", () => {
    assert.equal(pageKey("posts/a/", site, "directory"), "posts/a/");
  });
});

describe("createPingbackSource", () => {
  const source = createPingbackSource({
    site: site.href,
    format: "file",
    entries: [
      entry("https://example.com/blog/posts/a", "one"),
      entry("https://example.com/blog/posts/a/", "two"),
      entry("https://example.com/blog/posts/b", "three"),
    ],
  });

  it("matches a page however its URL is written", () => {
    for (const url of [
      new URL("http://localhost:4321/blog/posts/a.html"),
      "https://example.com/blog/posts/a",
      "/blog/posts/a/",
      "posts/a",
    ]) {
      assert.deepEqual(
        source.forUrl(url).map((found) => found.title),
        ["one", "two"],
        String(url),
      );
    }
  });

  it("renders the page's entries, and nothing for a page without any", () => {
    assert.match(
      source.html("/blog/posts/b"),
      /^<section class="pingbacks" data-no-pingback>.*three/,
    );
    assert.equal(source.html("/blog/posts/c"), "");
    assert.equal(source.all().length, 3);
  });
});
