import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { blogCorpus } from "../../../test/support/blog-corpus.ts";
import { fastPathDeclineReason, processPage, resolveOptions } from "../src/index.ts";
import { processPageReference } from "../src/page/reference/process-page-reference.ts";
import { tagSoupDocument } from "./support/tag-soup.ts";

const options = resolveOptions(
  { site: "https://blog.example", endpoint: "https://blog.example/xmlrpc?a=1&b=2" },
  "test",
);

/** The same site advertising both endpoints, and advertising none. */
const endpointVariants = [
  resolveOptions({ site: "https://blog.example", receiver: "https://m.example/in?a=1&b=2" }, "t"),
  resolveOptions({ site: "https://blog.example", endpoint: false, webmentionEndpoint: false }, "t"),
];

describe("fast path agrees with the reference parse", () => {
  it("with both link elements and with none, on fixtures, corpus and tag soup", () => {
    const root = new URL("./fixtures/pages/", import.meta.url);
    const names = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const pages = [
      ...names.map(({ name }) => ({
        html: readFileSync(new URL(`${name}/input.html`, root), "utf8"),
        url: `https://blog.example/posts/${name}/`,
      })),
      ...blogCorpus(50),
      ...Array.from({ length: 1000 }, (_, k) => ({
        html: tagSoupDocument(k + 1, { endpointLinks: true }),
        url: "https://blog.example/posts/soup/",
      })),
    ];
    for (const variant of endpointVariants) {
      let fast = 0;
      for (const page of pages) {
        if (fastPathDeclineReason(page.html, variant) === undefined) fast++;
        assert.deepEqual(
          processPage(page.html, page.url, variant),
          processPageReference(page.html, page.url, variant),
          page.url,
        );
      }
      assert.ok(fast > 100, `only ${fast} pages took the fast path`);
    }
  });

  it("on every page fixture", () => {
    const root = new URL("./fixtures/pages/", import.meta.url);
    const names = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const { name } of names) {
      const html = readFileSync(new URL(`${name}/input.html`, root), "utf8");
      const url = `https://blog.example/posts/${name}/`;
      assert.deepEqual(
        processPage(html, url, options),
        processPageReference(html, url, options),
        name,
      );
    }
  });

  it("on 300 pages of the benchmark corpus, all of which take the fast path", () => {
    for (const page of blogCorpus(300)) {
      assert.equal(fastPathDeclineReason(page.html, options), undefined, page.url);
      assert.deepEqual(
        processPage(page.html, page.url, options),
        processPageReference(page.html, page.url, options),
        page.url,
      );
    }
  });

  it("on 3,000 random tag-soup documents (where the fast scan accepts them)", () => {
    let accepted = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const html = tagSoupDocument(seed);
      const url = "https://blog.example/posts/soup/";
      if (fastPathDeclineReason(html, options) === undefined) accepted++;
      assert.deepEqual(
        processPage(html, url, options),
        processPageReference(html, url, options),
        `seed ${seed}:\n${html}`,
      );
    }
    // The generator must exercise the fast path, not only the fallback.
    assert.ok(accepted > 300, `only ${accepted} documents took the fast path`);
  });

  it("on a 2 MB page", () => {
    let body = "";
    for (let k = 0; body.length < 2 * 1024 * 1024; k++) {
      body += `<p>${k}: <a href="https://big${k % 50}.example/${k}">x</a> <em>y</em></p>\n`;
    }
    const html = `<!doctype html><html><head><title>Big</title></head><body><main>${body}</main></body></html>`;
    const url = "https://blog.example/posts/big/";
    assert.equal(fastPathDeclineReason(html, options), undefined);
    assert.deepEqual(processPage(html, url, options), processPageReference(html, url, options));
  });

  it("with custom selectors (classes, ids, tags, descendants), on tag soup and fixtures", () => {
    const lists = [
      [".sl-markdown-content", ".h-entry .e-content", "main"],
      ["section .p-name", "#post", "div.e-content", "body"],
      ["article section", ".e-content b", "ul li", "blockquote"],
    ];
    const root = new URL("./fixtures/pages/", import.meta.url);
    const fixtures = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map(({ name }) => readFileSync(new URL(`${name}/input.html`, root), "utf8"));
    for (const contentSelector of lists) {
      const custom = resolveOptions({ site: "https://blog.example", contentSelector }, "test");
      let accepted = 0;
      const documents = [...fixtures];
      for (let seed = 5001; seed <= 6000; seed++) documents.push(tagSoupDocument(seed));
      for (const html of documents) {
        const url = "https://blog.example/posts/custom/";
        if (fastPathDeclineReason(html, custom) === undefined) accepted++;
        assert.deepEqual(
          processPage(html, url, custom),
          processPageReference(html, url, custom),
          `${contentSelector.join(", ")}:\n${html}`,
        );
      }
      assert.ok(accepted > 100, `${contentSelector.join(", ")}: only ${accepted} on the fast path`);
    }
  });

  it("declines what it does not model, with a reason", () => {
    const base = "<!doctype html><html><head><title>x</title></head><body>";
    assert.match(fastPathDeclineReason(`${base}<table><a href=x></table>`, options) ?? "", /table/);
    assert.match(fastPathDeclineReason("<p>fragment", options) ?? "", /doctype/);
    assert.match(fastPathDeclineReason(`${base}<p><b><div>`, options) ?? "", /open elements/);
    assert.equal(fastPathDeclineReason(`${base}<p>ok</p></body></html>`, options), undefined);
    const simple = resolveOptions({ site: "https://blog.example", contentSelector: ".post" }, "t");
    assert.equal(fastPathDeclineReason(`${base}</body>`, simple), undefined);
    const rich = resolveOptions({ site: "https://blog.example", contentSelector: "main > p" }, "t");
    assert.match(fastPathDeclineReason(`${base}</body>`, rich) ?? "", /contentSelector beyond/);
  });
});
