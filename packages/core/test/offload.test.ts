import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { linksOutsideArticle, processPage, resolveOptions } from "../src/index.ts";
import { pageFingerprint } from "../src/manifest/page-cache.ts";
import { answerPage } from "../src/offload/answer-page.ts";
import { type PageAnswerResult, PageOffload, PageWorkerFailed } from "../src/offload/index.ts";
import type { PageJob } from "../src/offload/page-worker-messages.ts";
import { applyInsertion } from "../src/page/predict-insertion.ts";

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
  it("keeps the process alive while it loads, for a caller that waits for `ready` alone", async () => {
    // In a process of its own: the test runner's process has other things keeping it up.
    const dir = await mkdtemp(join(tmpdir(), "sp-offload-ready-"));
    try {
      const script = join(dir, "ready.mjs");
      const offloadModule = new URL("../src/offload/index.ts", import.meta.url).href;
      await writeFile(
        script,
        `import { PageOffload } from ${JSON.stringify(offloadModule)};
const offload = new PageOffload({ site: "https://blog.example/" }, "@static-pingback/test");
console.log("ready:", await offload.ready);
await offload.close();
`,
      );
      // Bounded: a worker that never loads must fail the test, not hang it.
      const { stdout } = await promisify(execFile)(process.execPath, [script], {
        timeout: 30_000,
      });
      assert.equal(stdout, "ready: true\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

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

  it("answers a page handed over as it was handed back, with the insertion made, as the page before it", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sp-offload-"));
    const offload = new PageOffload(OPTIONS, "@static-pingback/test", {
      manifest: { stateDir, pageCache: true },
    });
    const inlineOptions = resolveOptions(OPTIONS, "@static-pingback/test");
    try {
      const [, html] = PAGES[0] as [string, string];
      const url = "https://blog.example/plain/";
      const expected = processPage(html, url, inlineOptions);
      assert.ok(expected.insertion, "the page gets link elements");
      const output = applyInsertion(html, expected.insertion);
      const answer = await offload.process(output, url, expected.insertion);
      assert.deepEqual(answer?.insertion, expected.insertion);
      await offload.finish({ pages: [offload.lastId] });
      const manifest = JSON.parse(await readFile(join(stateDir, "manifest.json"), "utf8"));
      assert.deepEqual(manifest.pages[url].links, expected.links);
      assert.equal(manifest.pages[url].contentHash, expected.contentHash);
      // The cache knows the page by the HTML it came as, so the next build finds it.
      const cache = JSON.parse(await readFile(join(stateDir, "page-cache.json"), "utf8"));
      assert.equal(cache.pages[url].hash, pageFingerprint(html));
    } finally {
      await offload.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  // A lost wake-up would hang here (answers arriving before the room they made was
  // counted): fail instead.
  it("answers a burst of pages larger than it takes at once, every page, in one synchronous run", {
    timeout: 60_000,
  }, async () => {
    const offload = new PageOffload(OPTIONS, "@static-pingback/test");
    const inlineOptions = resolveOptions(OPTIONS, "@static-pingback/test");
    try {
      // 100 pages of ~1 M characters: about 16 fit in the 16 M in flight. The worker takes
      // a few milliseconds a page, so it cannot make room for the other 84 while the
      // burst runs; with no bound every page would be posted at once.
      const filler = `<p>${"words and more words ".repeat(50_000)}</p>`;
      const pages = Array.from({ length: 100 }, (_, n) => [
        `https://blog.example/p${n}/`,
        `<!doctype html><html><head><title>${n}</title></head><body><article>${filler}<a href="https://t${n}.example/">t</a></article></body></html>`,
      ]) as [string, string][];
      // All handed over before the event loop turns, as Eleventy's transforms do.
      const answers = pages.map(([url, html]) => offload.process(html, url));
      // Once the burst's flush has run, most pages are still held back, not copied out.
      await Promise.resolve();
      const held = offload.waitingPages;
      assert.ok(held > 0, `${held} of 100 pages held back by the bound`);
      const results = await Promise.all(answers);
      assert.equal(offload.waitingPages, 0);
      assert.equal(results.length, 100);
      for (const [k, [url, html]] of pages.entries()) {
        const { insertion, pingback, links } = processPage(html, url, inlineOptions);
        assert.deepEqual(results[k]?.insertion, insertion, url);
        assert.equal(results[k]?.pingback, pingback);
        assert.deepEqual(results[k]?.links, links);
      }
    } finally {
      await offload.close();
    }
  });

  it("at the end of a build, takes over the pages still waiting, from the last, while the worker does the others", {
    timeout: 60_000,
  }, async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sp-offload-"));
    const offload = new PageOffload(OPTIONS, "@static-pingback/test", {
      manifest: { stateDir, pageCache: true },
    });
    const inlineOptions = resolveOptions(OPTIONS, "@static-pingback/test");
    try {
      // As in a build, the worker has loaded (and said what the cache holds) by the time
      // the pages come; as in the burst above, most of the 60 pages are held back here.
      await offload.unchangedKnown;
      const filler = `<p>${"words and more words ".repeat(50_000)}</p>`;
      const pages = Array.from({ length: 60 }, (_, n) => [
        `https://blog.example/p${n}/`,
        `<!doctype html><html><head><title>${n}</title></head><body><article>${filler}<a href="https://t${n}.example/">t</a></article></body></html>`,
      ]) as [string, string][];
      const answers = pages.map(([url, html]) =>
        (offload.process(html, url) as Promise<PageAnswerResult>).then(
          (result) => result,
          (error: Error) => error,
        ),
      );
      await Promise.resolve();
      const held = offload.waitingPages;
      assert.ok(held > 0, `${held} of 60 pages held back by the bound`);
      const done: string[] = [];
      const taken = await offload.takeOver((job) => {
        done.push(job.url);
        if (job.url === pages[59]?.[0]) throw new Error("this page cannot be processed");
        return answerPage(job, {
          options: inlineOptions,
          linkElements: undefined,
          hash: `hash of ${job.url}`,
          outputFingerprints: false,
        });
      });
      assert.equal(offload.waitingPages, 0, "none is left waiting");
      assert.equal(taken, done.length);
      assert.ok(taken > 0 && taken <= held, `${taken} taken of ${held} held`);
      assert.deepEqual(
        new Set(done),
        new Set(pages.slice(60 - taken).map(([url]) => url)),
        "the last pages are done here, the worker goes on from the front",
      );
      const results = await Promise.all(answers);
      const last = results[59];
      assert.ok(last instanceof Error, "a throw rejects that page's answer");
      assert.equal(last.message, "this page cannot be processed");
      const ids: number[] = [];
      for (const [k, [url, html]] of pages.entries()) {
        if (k === 59) continue;
        const result = results[k] as PageAnswerResult;
        const { insertion, pingback } = processPage(html, url, inlineOptions);
        assert.deepEqual(result.insertion, insertion, url);
        assert.equal(result.pingback, pingback, url);
        // Either way the worker keeps the links, for the manifest.
        assert.equal(result.links, undefined, url);
        ids.push(k);
      }
      // Every page is the worker's to finish, those done here included, with their
      // links and what the page cache is to keep.
      const finished = await offload.finish({ pages: ids });
      assert.equal(finished.summary.pages, 59);
      assert.equal(finished.summary.links, 59);
      const manifest = JSON.parse(await readFile(join(stateDir, "manifest.json"), "utf8"));
      const cache = JSON.parse(await readFile(join(stateDir, "page-cache.json"), "utf8"));
      for (const url of done) {
        if (url === pages[59]?.[0]) continue;
        const n = url.match(/p(\d+)\/$/)?.[1];
        assert.deepEqual(manifest.pages[url].links, [`https://t${n}.example/`], url);
        assert.equal(cache.pages[url].hash, `hash of ${url}`, url);
      }
    } finally {
      await offload.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it("leaves a waiting page the page cache holds to the worker, which takes it from the cache", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sp-offload-"));
    const inlineOptions = resolveOptions(OPTIONS, "@static-pingback/test");
    const pages = Array.from({ length: 4 }, (_, n) => [
      `https://blog.example/c${n}/`,
      `<!doctype html><html><head><title>${n}</title></head><body><article><a href="https://t${n}.example/">t</a></article></body></html>`,
    ]) as [string, string][];
    // Trickle batching holds each page here a moment before it is posted: at once after
    // handing them over, all four are waiting.
    const build = async (changed: number | undefined) => {
      const offload = new PageOffload(OPTIONS, "@static-pingback/test", {
        manifest: { stateDir, pageCache: true },
        batching: "trickle",
      });
      try {
        await offload.unchangedKnown;
        const answers = pages.map(([url, html], n) =>
          offload.process(n === changed ? html.replace("t</a>", "u</a>") : html, url),
        );
        assert.equal(offload.waitingPages, 4);
        const process = (job: PageJob) =>
          answerPage(job, {
            options: inlineOptions,
            linkElements: undefined,
            hash: pageFingerprint(job.html),
            outputFingerprints: false,
          });
        // So few characters wait that the take-over would cost more than it saves.
        assert.equal(await offload.takeOver(process), 0);
        assert.equal(offload.waitingPages, 4);
        const taken = await offload.takeOver(process, 0);
        await Promise.all(answers);
        const finished = await offload.finish({ pages: [0, 1, 2, 3] });
        return { taken, unchanged: finished.unchanged };
      } finally {
        await offload.close();
      }
    };
    try {
      assert.deepEqual(await build(undefined), { taken: 4, unchanged: 0 });
      // The pages taken over were cached; the one changed since is taken over again.
      assert.deepEqual(await build(2), { taken: 1, unchanged: 3 });
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it("with a manifest to write, a finish asked for at once waits for the pages before it", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sp-offload-"));
    const offload = new PageOffload(OPTIONS, "@static-pingback/test", {
      manifest: { stateDir, pageCache: false },
    });
    try {
      const filler = `<p>${"words ".repeat(10_000)}</p>`;
      const ids: number[] = [];
      for (let n = 0; n < 200; n++) {
        const html = `<html><head></head><body><article>${filler}<a href="https://t${n}.example/">t</a></article></body></html>`;
        void offload.process(html, `https://blog.example/p${n}/`);
        ids.push(offload.lastId);
      }
      const finished = await offload.finish({ pages: ids });
      assert.equal(finished.summary.pages, 200);
      assert.equal(finished.summary.links, 200);
      const manifest = JSON.parse(await readFile(join(stateDir, "manifest.json"), "utf8"));
      assert.deepEqual(manifest.pages["https://blog.example/p7/"].links, ["https://t7.example/"]);
    } finally {
      await offload.close();
      await rm(stateDir, { recursive: true, force: true });
    }
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
