import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { explainPageLinks } from "../../src/explain/page-links.ts";
import { processPage, resolveOptions } from "../../src/index.ts";
import { processPageReference } from "../../src/page/reference/process-page-reference.ts";
import { tagSoupDocument } from "../support/tag-soup.ts";

const PAGE = `<!doctype html><html><head><title>t</title></head><body>
<nav><a href="/about/">About</a><a href="https://social.example/me">me</a></nav>
<article>
  <p><a href="https://other.example/post#frag">a post</a> and <a href="https://other.example/post">again</a></p>
  <p><a href="/posts/b/">a sibling post</a> <a href="#top">top</a> <a href="mailto:me@example.com">mail</a></p>
  <p><a href="https://tracker.example/x">tracked</a> <a href="https://example.com/posts/a/">this page</a></p>
  <aside data-no-pingback><a href="https://ads.example/">ad</a></aside>
  <p><a href="   ">blank</a></p>
</article>
<footer><a href="https://other.example/post">also in the footer</a></footer>
</body></html>`;

const options = resolveOptions(
  {
    site: "https://example.com/",
    contentSelector: "article",
    excludeLinks: ["https://tracker.example/**"],
  },
  "test",
);

describe("explainPageLinks", () => {
  const explained = explainPageLinks(PAGE, "https://example.com/posts/a/", options);
  const byHref = (href: string) => explained.links.filter((link) => link.href === href);

  it("gives every link of the document its reason, in document order", () => {
    assert.equal(explained.enabled, true);
    assert.equal(explained.scope, "article");
    assert.deepEqual(
      explained.links.map((link) => [link.href, link.reason, link.detail ?? null, link.count]),
      [
        ["/about/", "outside-content", "not inside article", 1],
        ["https://social.example/me", "outside-content", "not inside article", 1],
        ["https://other.example/post#frag", "in-manifest", null, 1],
        ["https://other.example/post", "in-manifest", null, 1],
        ["/posts/b/", "same-site", null, 1],
        ["#top", "not-http", "fragment only", 1],
        ["mailto:me@example.com", "not-http", "mailto: link", 1],
        ["https://tracker.example/x", "excluded-by", "https://tracker.example/**", 1],
        ["https://example.com/posts/a/", "same-site", "the page itself", 1],
        ["https://ads.example/", "data-no-pingback", null, 1],
        ["", "not-http", "empty href", 1],
        ["https://other.example/post", "outside-content", "not inside article", 1],
      ],
    );
    assert.equal(byHref("/posts/b/")[0]?.target, "https://example.com/posts/b/");
    assert.equal(
      byHref("https://other.example/post#frag")[0]?.target,
      "https://other.example/post",
    );
  });

  it("counts repeats of the same link with the same verdict once", () => {
    const page = `<main><a href="https://x.example/">1</a><a href="https://x.example/">2</a></main>`;
    const defaults = resolveOptions({ site: "https://example.com/" }, "test");
    const result = explainPageLinks(page, "https://example.com/p/", defaults);
    assert.deepEqual(
      result.links.map((link) => [link.href, link.reason, link.count]),
      [["https://x.example/", "in-manifest", 2]],
    );
    assert.equal(result.scope, "main");
  });

  it("says when no content selector matched", () => {
    const strict = resolveOptions({ site: "https://example.com/", contentSelector: ".post" }, "t");
    const result = explainPageLinks(PAGE, "https://example.com/posts/a/", strict);
    assert.equal(result.scope, null);
    assert.ok(result.links.every((link) => link.reason === "outside-content"));
    assert.equal(result.links[0]?.detail, "no content selector matched this page");
  });

  it("reports a page left out by exclude", () => {
    const excluding = resolveOptions({ site: "https://example.com/", exclude: "/posts/**" }, "t");
    assert.equal(explainPageLinks(PAGE, "https://example.com/posts/a/", excluding).enabled, false);
  });
});

// The explanation must never disagree with what the build puts in the manifest.
describe("explainPageLinks agrees with processPage on every page fixture", () => {
  const root = new URL("../fixtures/pages/", import.meta.url);
  const config = JSON.parse(readFileSync(new URL("cases.json", root), "utf8")) as {
    defaults: { site: string; endpoint: string };
    cases: Record<string, { url?: string; options?: Record<string, unknown> }>;
  };
  const names = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  assert.ok(names.length > 10);
  for (const name of names) {
    it(name, () => {
      const spec = config.cases[name] ?? {};
      const fixtureOptions = resolveOptions({ ...config.defaults, ...spec.options }, "fixtures");
      const url = spec.url ?? `https://example.com/posts/${name}/`;
      const html = readFileSync(new URL(`${name}/input.html`, root), "utf8");
      const explained = explainPageLinks(html, url, fixtureOptions);
      const reference = processPageReference(html, url, fixtureOptions);
      const targets = [
        ...new Set(
          explained.links
            .filter((link) => link.reason === "in-manifest")
            .map((link) => link.target as string),
        ),
      ];
      const expected = explained.enabled ? reference.links : [];
      assert.deepEqual(explained.enabled ? targets : [], expected);
      assert.deepEqual(processPage(html, url, fixtureOptions).links, reference.links);
      if (explained.enabled) assert.equal(explained.scope, reference.scope);
    });
  }
});

describe("explainPageLinks agrees with the reference on seeded tag soup", () => {
  it("on 500 random documents", () => {
    const soupOptions = resolveOptions(
      { site: "https://blog.example/", excludeLinks: [/\/skip\//] },
      "test",
    );
    const url = "https://blog.example/posts/soup/";
    for (let seed = 1; seed <= 500; seed++) {
      const html = tagSoupDocument(seed);
      const targets = new Set(
        explainPageLinks(html, url, soupOptions)
          .links.filter((link) => link.reason === "in-manifest")
          .map((link) => link.target),
      );
      const reference = processPageReference(html, url, soupOptions).links;
      assert.deepEqual([...targets], reference, `seed ${seed}`);
    }
  });
});
