import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { processPage, resolveOptions } from "@static-pingback/core";
import { PageOffload, PageWorkerFailed } from "../src/page-offload.ts";
import { FILES, post } from "./fixture.ts";
import { build, captureLog, createProject } from "./helpers.ts";

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
          inline = processPage(html, url, inlineOptions);
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

  it("is not used when an option holds a function (it cannot cross to a thread)", () => {
    assert.equal(PageOffload.usable({ site: "https://e.com", exclude: [() => false] }), false);
    assert.equal(PageOffload.usable({ site: "https://e.com", exclude: () => false }), false);
  });

  it("an Eleventy build gives the same pages and manifest with and without the worker", async () => {
    const files: Record<string, string> = { ...FILES };
    for (let i = 0; i < 60; i++) {
      files[`posts/many-${i}.md`] = post(
        `Many ${i}`,
        `See [site ${i}](https://s${i}.example/p) and [home](/).`,
      );
    }
    const withWorker = await createProject(files);
    const inline = await createProject(files);
    try {
      const before = PageOffload.answered;
      // Slow global data keeps Eleventy rendering until the worker has loaded.
      const configure = (config: { addGlobalData(name: string, data: () => unknown): void }) =>
        config.addGlobalData("slow", () => sleep(300));
      await captureLog(() => build(withWorker, { workerThread: true }, { configure }));
      await captureLog(() => build(inline, { workerThread: false }, { configure }));
      assert.ok(
        PageOffload.answered - before >= 60,
        `worker answered ${PageOffload.answered - before} pages`,
      );

      const manifestOf = async (project: typeof inline) => {
        const manifest = await project.readJson<{ pages: unknown }>(".pingback/manifest.json");
        return manifest.pages;
      };
      assert.deepEqual(await manifestOf(withWorker), await manifestOf(inline));
      const dir = join(withWorker.output, "posts");
      for (const name of await readdir(dir)) {
        const a = await readFile(join(dir, name, "index.html"), "utf8");
        const b = await readFile(join(inline.output, "posts", name, "index.html"), "utf8");
        assert.equal(a, b, name);
      }
    } finally {
      await withWorker.remove();
      await inline.remove();
    }
  });
});
