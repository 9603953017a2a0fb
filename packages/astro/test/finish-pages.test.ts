import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { type Manifest, processPage, readManifest, resolveOptions } from "@static-pingback/core";
import { type ProcessedPage, processBuiltPages } from "../src/built-pages.ts";
import { finishPages } from "../src/finish-pages.ts";
import { PrerenderedPages } from "../src/prerendered-pages.ts";

const SITE = "https://example.com/";
const shared = { site: SITE, endpoint: "https://example.com/xmlrpc" };
const options = resolveOptions(shared, "@static-pingback/astro");

function page(n: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${n}</title></head><body><main><a href="https://t${n}.example/">t</a></main></body></html>`;
}

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Hands pages to the middleware's side as Astro would, and writes what it answers. */
async function render(
  prerendered: PrerenderedPages,
  outDir: string,
  names: string[],
  first = 0,
  html: (n: number) => string = page,
) {
  for (const [k, name] of names.entries()) {
    const response = new Response(html(first + k), { headers: { "content-type": "text/html" } });
    const answered = await prerendered.page(new URL(`/${name}/`, "http://localhost"), response);
    await mkdir(path.join(outDir, name), { recursive: true });
    await writeFile(path.join(outDir, name, "index.html"), await answered.text());
  }
}

/** The middleware's side of a build with the page worker writing to `stateDir`. */
function prerenderedPages(stateDir: string, pageCache = false): PrerenderedPages {
  return new PrerenderedPages({
    options,
    workerInput: shared,
    packageName: "@static-pingback/astro",
    appendSlash: true,
    manifest: { stateDir, pageCache },
  });
}

/** astro:build:done's two steps: recognise the written pages, then (`finish`) the manifest. */
function builtPages(prerendered: PrerenderedPages, outDir: string, names: string[]) {
  return processBuiltPages({
    outDir,
    pageNames: names.map((name) => `${name}/`),
    format: "directory",
    options,
    concurrency: 2,
    prerendered,
  });
}

function finish(prerendered: PrerenderedPages, stateDir: string, pages: ProcessedPage[]) {
  return finishPages({
    pages,
    options,
    stateDir,
    previousManifest: undefined,
    publishDir: undefined,
    prerendered,
  });
}

describe("finishing the build when the page worker is gone", () => {
  it("takes the worker's pages' links again from their files", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "sp-finish-"));
    dirs.push(work);
    const outDir = path.join(work, "dist");
    const stateDir = path.join(work, "state");
    const prerendered = prerenderedPages(stateDir);
    const names = ["a", "b", "c"];
    await render(prerendered, outDir, names);
    const outcome = await builtPages(prerendered, outDir, names);
    assert.equal(outcome.recognised, 3, "each page recognised, none read whole or rewritten");
    assert.ok(
      outcome.pages.every((done) => done.job !== undefined && done.result.links === undefined),
      "the worker holds every page's links",
    );
    await prerendered.close(); // as if the worker had died before the end of the build
    const finished = await finish(prerendered, stateDir, outcome.pages);
    assert.equal(finished.summary.links, 3);
    const manifest = (await readManifest(stateDir)) as Manifest;
    assert.deepEqual(manifest.pages[`${SITE}b/`], {
      pingback: true,
      links: ["https://t1.example/"],
    });
  });

  it("takes pages from the page cache from their files too", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "sp-finish-cache-"));
    dirs.push(work);
    const outDir = path.join(work, "dist");
    const stateDir = path.join(work, "state");
    const names = ["a", "b", "c"];
    const build = async (lose: boolean, html: (n: number) => string = page) => {
      const prerendered = prerenderedPages(stateDir, true);
      // The first page starts the worker; the others wait until it has said what the
      // cache holds, so they are taken from it without being sent.
      await render(prerendered, outDir, names.slice(0, 1));
      await prerendered.offload?.unchangedKnown;
      await render(prerendered, outDir, names.slice(1), 1, html);
      const outcome = await builtPages(prerendered, outDir, names);
      if (lose) await prerendered.close(); // the worker dies before the end of the build
      const finished = await finish(prerendered, stateDir, outcome.pages);
      await prerendered.close();
      return { outcome, finished };
    };
    await build(false); // writes the page cache
    const { outcome, finished } = await build(true);
    assert.deepEqual(
      outcome.pages.map((done) => done.unchanged === true),
      [false, true, true],
      "b and c taken from the cache",
    );
    // Their files are recognised by the output fingerprint the cache keeps.
    assert.equal(outcome.recognised, 3);
    assert.equal(finished.summary.links, 3);
    const manifest = (await readManifest(stateDir)) as Manifest;
    assert.deepEqual(manifest.pages[`${SITE}c/`], {
      pingback: true,
      links: ["https://t2.example/"],
    });

    // With the worker lost, this thread wrote the manifest and no cache went with it;
    // the next build writes both again. Then c changes: the cache has an entry for its
    // URL, but not for its new HTML.
    await build(false);
    const edited = (n: number) =>
      n === 2 ? page(n).replace("<html>", '<html lang="en">').replace("t2.", "t9.") : page(n);
    const third = await build(false, edited);
    assert.equal(
      await readFile(path.join(outDir, "c", "index.html"), "utf8"),
      processPage(edited(2), `${SITE}c/`, options).html,
      "the link element where the new head puts it",
    );
    assert.deepEqual(
      third.outcome.pages.map((done) => done.unchanged === true),
      [false, true, false],
    );
    const after = (await readManifest(stateDir)) as Manifest;
    assert.deepEqual(after.pages[`${SITE}c/`]?.links, ["https://t9.example/"]);
  });
});
