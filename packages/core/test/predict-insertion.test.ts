import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { blogCorpus } from "../../../test/support/blog-corpus.ts";
import {
  applyInsertion,
  predictInsertion,
  processPage,
  resolveOptions,
  sameInsertion,
} from "../src/index.ts";
import { tagSoupDocument } from "./support/tag-soup.ts";

const options = resolveOptions(
  {
    site: "https://blog.example",
    endpoint: "https://blog.example/xmlrpc?a=1&b=2",
    exclude: ["/drafts/**"],
  },
  "test",
);

/** The prediction, and processPage's answer, for one page. */
function both(html: string, url: string) {
  const predicted = predictInsertion(html, new URL(url), options);
  const result = processPage(html, url, options);
  return { predicted, result };
}

describe("predictInsertion: the head-only guess that processPage confirms", () => {
  it("on every page fixture: right, or unsure", () => {
    const root = new URL("./fixtures/pages/", import.meta.url);
    const names = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const wrong: string[] = [];
    const unsure: string[] = [];
    for (const { name } of names) {
      const html = readFileSync(new URL(`${name}/input.html`, root), "utf8");
      const { predicted, result } = both(html, `https://blog.example/posts/${name}/`);
      if (predicted === undefined) unsure.push(name);
      else if (!sameInsertion(predicted, result.insertion)) wrong.push(name);
      else assert.equal(applyInsertion(html, predicted), result.html, name);
    }
    assert.deepEqual(wrong, []);
    assert.ok(unsure.length >= 5, `unsure about ${unsure.join(", ")}`);
  });

  it("is right on 300 pages of the benchmark corpus", () => {
    for (const page of blogCorpus(300)) {
      const { predicted, result } = both(page.html, page.url);
      assert.ok(predicted, page.url);
      assert.ok(sameInsertion(predicted, result.insertion), page.url);
    }
  });

  it("never guesses an insertion where processPage makes a different one, on tag soup", () => {
    let guessed = 0;
    let wrong = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const html = tagSoupDocument(seed);
      const { predicted, result } = both(html, "https://blog.example/posts/soup/");
      if (predicted === undefined) continue;
      guessed++;
      if (!sameInsertion(predicted, result.insertion)) wrong++;
    }
    assert.ok(guessed > 200, `only ${guessed} guesses`);
    assert.equal(wrong, 0);
  });

  it("can be wrong when the body decides: a pingback link element in the body", () => {
    const html = `<!doctype html><html><head><title>x</title></head><body><main><link rel="pingback" href="https://elsewhere.example/rpc"><a href="https://a.example/">a</a></main></body></html>`;
    const { predicted, result } = both(html, "https://blog.example/posts/own/");
    assert.ok(predicted, "the head alone looks fine");
    assert.equal(result.insertion, null, "the page advertises its own endpoint");
    assert.ok(!sameInsertion(predicted, result.insertion));
  });

  it("says null for a page that does not take part, as processPage does", () => {
    const html = "<!doctype html><html><head><title>x</title></head><body></body></html>";
    const { predicted, result } = both(html, "https://blog.example/drafts/a/");
    assert.equal(predicted, null);
    assert.equal(result.insertion, null);
  });

  it("compares insertions by offset and text", () => {
    const a = { offset: 3, text: "<x>" };
    assert.ok(sameInsertion(a, { offset: 3, text: "<x>" }));
    assert.ok(!sameInsertion(a, { offset: 4, text: "<x>" }));
    assert.ok(!sameInsertion(a, null));
    assert.ok(sameInsertion(null, null));
    assert.equal(applyInsertion("abcdef", a), "abc<x>def");
    assert.equal(applyInsertion("abc", null), "abc");
  });
});
