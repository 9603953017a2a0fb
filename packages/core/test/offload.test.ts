import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { linksOutsideArticle, processPage, resolveOptions } from "../src/index.ts";
import { PageOffload, PageWorkerFailed } from "../src/offload/index.ts";

const OPTIONS = {
  site: "https://blog.example/",
  endpoint: "https://blog.example/xmlrpc?a=1&b=<2>",
  excludeLinks: [/nope\.example/],
};

const PAGES: Array<[string, string]> = [
  [
    "plain",
    `<!doctype html><html><head><title>t</title></head><body><article class="h-entry"><div class="e-content"><a href="https://a.example/x">a</a> <a href="/local">l</a> <a href="https://nope.example/">n</a></div></article></body></html>`,
  ],
  ["no head", `<p>Just <a href="https://b.example/">a link</a>`],
  [
    "own link element",
    `<!doctype html><html><head><link rel="pingback" href="https://other.example/xmlrpc"></head><body><main><a href="https://c.example/">c</a></main></body></html>`,
  ],
  [
    "tag soup",
    `<html><head><title>x</head><body><table><tr><td><a href=https://d.example/?q=1&amp;r=2>d</a></table><base href="https://e.example/dir/"><a href="rel">r</a>`,
  ],
  ["bad url", "<p>x</p>"],
];

describe("page worker thread", () => {
  it("gives exactly what processPage gives inline, page errors included", async () => {
    const offload = new PageOffload(OPTIONS, "@static-pingback/test");
    const inlineOptions = resolveOptions(OPTIONS, "@static-pingback/test");
    try {
      assert.equal(await offload.ready, true);
      for (const [name, html] of PAGES) {
        const url =
          name === "bad url" ? "not a url" : `https://blog.example/${name.replace(/ /g, "-")}/`;
        let inline: unknown;
        try {
          // The worker answers without the page text: the caller holds it.
          const { html: _html, scope, ...result } = processPage(html, url, inlineOptions);
          const outsideArticle = linksOutsideArticle({ scope, links: result.links }, inlineOptions);
          inline = { ...result, outsideArticle };
        } catch (error) {
          inline = { error: (error as Error).message };
        }
        const viaWorker = offload.process(html, url);
        assert.ok(viaWorker, "the worker takes pages once ready");
        const worker = await viaWorker.then(
          (result) => result,
          (error: Error) => {
            assert.ok(!(error instanceof PageWorkerFailed), "a page error is not a worker failure");
            return { error: error.message };
          },
        );
        assert.deepEqual(worker, inline, name);
      }
    } finally {
      await offload.close();
    }
    assert.equal(offload.process("<p></p>", "https://blog.example/"), undefined, "closed: inline");
  });

  it("when the worker fails, its pages are handed back to be processed inline", async () => {
    // Options the worker cannot resolve make it throw while loading.
    const offload = new PageOffload({ site: "not a url" }, "@static-pingback/test");
    try {
      const job = offload.process("<p></p>", "https://blog.example/");
      assert.ok(job, "jobs are posted before the worker has loaded");
      await assert.rejects(job, PageWorkerFailed);
      assert.equal(await offload.ready, false);
      assert.equal(offload.process("<p></p>", "https://blog.example/"), undefined, "then inline");
    } finally {
      await offload.close();
    }
  });

  it("an option that cannot be cloned to the thread sends every page inline", async () => {
    const offload = new PageOffload(
      { site: "https://e.com/", odd: Symbol("x") },
      "@static-pingback/test",
    );
    assert.equal(await offload.ready, false);
    assert.equal(offload.process("<p></p>", "https://e.com/"), undefined);
    await offload.close();
  });

  it("turns URL option values into strings a worker can receive", () => {
    const cloneable = PageOffload.cloneable({ site: new URL("https://e.com/a"), n: 1 });
    assert.deepEqual(cloneable, { site: "https://e.com/a", n: 1 });
    assert.deepEqual(structuredClone(cloneable), cloneable);
  });

  it("is not used when an option holds a function (it cannot cross to a thread)", () => {
    assert.equal(PageOffload.usable({ site: "https://e.com", exclude: [() => false] }), false);
    assert.equal(PageOffload.usable({ site: "https://e.com", exclude: () => false }), false);
  });
});
