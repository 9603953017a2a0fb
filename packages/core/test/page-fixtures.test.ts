import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  expandSpecEntities,
  headLinkElements,
  PINGBACK_LINK_PATTERN,
  resolveOptions,
} from "../src/index.ts";
import { processPageReference } from "../src/page/reference/process-page-reference.ts";
import { findWebmentionEndpoint } from "../src/send/webmention-endpoint.ts";

// Run with UPDATE_FIXTURES=1 to rewrite expected.html / expected.json, then review the diff.
const update = process.env.UPDATE_FIXTURES === "1";
const root = new URL("./fixtures/pages/", import.meta.url);
const config = JSON.parse(readFileSync(new URL("cases.json", root), "utf8")) as {
  defaults: { site: string; endpoint: string };
  cases: Record<string, { url?: string; options?: Record<string, unknown> }>;
};
const names = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Expected {
  links: string[];
  pingback: boolean;
  warnings: string[];
}

const SPEC_PATTERN_ALL = new RegExp(PINGBACK_LINK_PATTERN.source, "g");

describe("page fixtures (reference implementation)", () => {
  for (const name of names) {
    const dir = new URL(`${name}/`, root);
    const spec = config.cases[name] ?? {};
    const options = resolveOptions({ ...config.defaults, ...spec.options }, "fixtures");
    const url = spec.url ?? `https://example.com/posts/${name}/`;
    const input = readFileSync(new URL("input.html", dir), "utf8");

    it(`${name}: byte-exact output, links and warnings`, () => {
      const result = processPageReference(input, url, options);
      const actual: Expected = {
        links: result.links,
        pingback: result.pingback,
        warnings: result.warnings,
      };
      if (update) {
        writeFileSync(new URL("expected.html", dir), result.html);
        writeFileSync(new URL("expected.json", dir), `${JSON.stringify(actual, null, 2)}\n`);
      }
      const expectedHtml = readFileSync(new URL("expected.html", dir), "utf8");
      const expected = JSON.parse(readFileSync(new URL("expected.json", dir), "utf8")) as Expected;
      assert.equal(result.html, expectedHtml);
      assert.deepEqual(actual, expected);
    });

    it(`${name}: only the link elements were added`, () => {
      const result = processPageReference(input, url, options);
      if (!result.changed) {
        assert.equal(result.html, input);
        return;
      }
      // Cutting out the one insertion gives the input back, and it holds only our elements.
      const { offset, text } = result.insertion as { offset: number; text: string };
      assert.equal(result.html.slice(0, offset) + result.html.slice(offset + text.length), input);
      const elements = headLinkElements(options).map((element) => element.text);
      assert.ok(
        [elements.join(""), ...elements].some((t) => text === t || text === `<head>${t}</head>`),
        text,
      );
    });

    it(`${name}: a Webmention sender finds the configured endpoint first`, () => {
      const result = processPageReference(input, url, options);
      if (!result.pingback || options.webmentionEndpoint === null) return;
      const found = findWebmentionEndpoint({ url, headers: {}, html: result.html });
      const expected =
        name === "existing-webmention"
          ? "https://example.com/own/webmention"
          : options.webmentionEndpoint;
      assert.equal(found?.endpoint, expected);
    });

    it(`${name}: the spec's regex finds the endpoint exactly once`, () => {
      const result = processPageReference(input, url, options);
      if (!result.pingback) return;
      const matches = [...result.html.matchAll(SPEC_PATTERN_ALL)];
      if (name === "spec-pattern-in-comment") {
        // A decoy in the page: ours must still come first, and the page gets a warning.
        assert.equal(expandSpecEntities(matches[0]?.[1] as string), options.endpoint);
        assert.ok(result.warnings.length > 0);
        return;
      }
      assert.equal(matches.length, 1);
      const endpoint =
        name === "existing-different" ? "https://legacy.example/xmlrpc.php" : options.endpoint;
      assert.equal(expandSpecEntities(matches[0]?.[1] as string), endpoint);
    });
  }
});

describe("a 2 MB page", () => {
  // Generated rather than committed: 160 corpus paragraphs repeated inside one post.
  const paragraph = (k: number) =>
    `<p>Paragraph ${k}: see <a href="https://big${k % 40}.example/p/${k}">this</a> and <a href="/local/${k}">that</a>.</p>\n`;
  let body = "";
  for (let k = 0; body.length < 2 * 1024 * 1024; k++) body += paragraph(k);
  const head =
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Big</title>\n</head>\n';
  const input = `${head}<body>\n<nav><a href="https://nav.example/">nav</a></nav>\n<article class="h-entry"><div class="e-content">\n${body}</div></article>\n</body>\n</html>\n`;
  const options = resolveOptions(config.defaults, "fixtures");
  const url = "https://example.com/posts/big/";

  it("gets the element right after <meta charset>, every byte else unchanged, all its links", () => {
    const result = processPageReference(input, url, options);
    const at = input.indexOf('<meta charset="utf-8">') + '<meta charset="utf-8">'.length;
    const element = '<link rel="pingback" href="https://example.com/xmlrpc?site=a&amp;v=1">';
    assert.equal(result.html, input.slice(0, at) + element + input.slice(at));
    const expected = [
      ...new Set([...input.matchAll(/href="(https:\/\/big[^"]+)"/g)].map((m) => m[1])),
    ];
    assert.ok(input.length > 2 * 1024 * 1024);
    assert.deepEqual(result.links, expected);
  });
});
