import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { builtPages, outputKey, pageOutputCandidates, pageUrl } from "../src/page-location.ts";

describe("pageUrl", () => {
  const root = new URL("https://example.com/blog/");

  it("joins the page name to the site and base, keeping Astro's trailing slash", () => {
    assert.equal(pageUrl(root, "").href, "https://example.com/blog/");
    assert.equal(pageUrl(root, "posts/a/").href, "https://example.com/blog/posts/a/");
    assert.equal(pageUrl(root, "posts/a").href, "https://example.com/blog/posts/a");
    assert.equal(pageUrl(root, "/posts/a").href, "https://example.com/blog/posts/a");
  });

  it("encodes raw names and never reads ?, # or % in them as URL syntax", () => {
    assert.equal(pageUrl(root, "café/").href, "https://example.com/blog/caf%C3%A9/");
    assert.equal(pageUrl(root, "a b/").href, "https://example.com/blog/a%20b/");
    assert.equal(pageUrl(root, "what?#100%/").href, "https://example.com/blog/what%3F%23100%25/");
  });
});

describe("pageOutputCandidates", () => {
  it("follows build.format", () => {
    assert.deepEqual(pageOutputCandidates("", "directory"), ["index.html"]);
    assert.deepEqual(pageOutputCandidates("", "file"), ["index.html"]);
    assert.deepEqual(pageOutputCandidates("posts/a/", "directory"), ["posts/a/index.html"]);
    assert.deepEqual(pageOutputCandidates("posts/a", "directory"), ["posts/a/index.html"]);
    assert.deepEqual(pageOutputCandidates("posts/a", "file"), ["posts/a.html"]);
    assert.deepEqual(pageOutputCandidates("posts/a/", "file"), ["posts/a.html"]);
    assert.deepEqual(pageOutputCandidates("404/", "directory"), ["404.html", "404/index.html"]);
    assert.deepEqual(pageOutputCandidates("fr/404/", "directory"), ["fr/404/index.html"]);
    assert.deepEqual(pageOutputCandidates("posts/a", "preserve"), [
      "posts/a.html",
      "posts/a/index.html",
    ]);
  });
});

describe("outputKey and builtPages", () => {
  const site = new URL("https://example.com/blog/");

  it("gives a page one key whatever ending its request or its name has", () => {
    for (const request of [
      "/blog/posts/a/",
      "/blog/posts/a",
      "/blog/posts/a.html",
      "/blog/posts/a/index.html",
    ]) {
      assert.equal(outputKey(request), "/blog/posts/a", request);
    }
    assert.equal(outputKey("/blog/"), "/blog");
    assert.equal(outputKey("/"), "");
  });

  it("lists each written page under the key its request had, with its files in the output", () => {
    const outDir = path.join(path.sep, "out");
    const [home, post] = builtPages(site, outDir, ["", "posts/a/"], "directory");
    assert.deepEqual(
      { url: home?.url.href, key: home?.key, files: home?.files },
      { url: site.href, key: outputKey("/blog/"), files: [path.join(outDir, "index.html")] },
    );
    assert.deepEqual(
      { url: post?.url.href, key: post?.key, files: post?.files },
      {
        url: "https://example.com/blog/posts/a/",
        key: outputKey("/blog/posts/a.html"),
        files: [path.join(outDir, "posts", "a", "index.html")],
      },
    );
    const [asFile] = builtPages(site, outDir, ["posts/a"], "file");
    assert.equal(asFile?.key, outputKey("/blog/posts/a/"));
    assert.deepEqual(asFile?.files, [path.join(outDir, "posts", "a.html")]);
  });
});
