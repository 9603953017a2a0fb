import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { type Manifest, processPage, readManifest, resolveOptions } from "@static-pingback/core";
import { BuildSession, handWrittenFiles } from "@static-pingback/core/build";
import { linkedPage } from "../../../test/support/manifest-pages.ts";
import { builtPages } from "../src/page-location.ts";
import type { PrerenderHook } from "../src/prerender-hook.ts";
import { prerenderedPages } from "../src/prerendered-pages.ts";

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
  prerendered: PrerenderHook,
  outDir: string,
  names: string[],
  first = 0,
  html: (n: number) => string = page,
) {
  for (const [k, name] of names.entries()) {
    const response = new Response(html(first + k), { headers: { "content-type": "text/html" } });
    const answered = await prerendered(new URL(`/${name}/`, "http://localhost"), response);
    await mkdir(path.join(outDir, name), { recursive: true });
    await writeFile(path.join(outDir, name, "index.html"), await answered.text());
  }
}

/** A build session with the page worker writing to `stateDir`, and the middleware's side. */
async function startSession(stateDir: string, pageCache = false) {
  const session = new BuildSession({
    packageName: "@static-pingback/astro",
    pageCache,
    previousManifest: undefined,
    workerStartsWithFirstPage: true,
    batching: "trickle",
    prerenders: true,
    log: { info() {}, warn: (message) => assert.fail(message) },
  });
  await session.begin({
    options: { ...options, stateDir },
    watch: false,
    incremental: false,
    writesFiles: true,
    workerOptions: shared,
  });
  return { session, prerendered: prerenderedPages(session, true) };
}

/** astro:build:done's first step: hand over the written pages (then `finish` writes the manifest). */
async function handOver(session: BuildSession, outDir: string, names: string[]) {
  const pages = builtPages(
    session.options.site,
    outDir,
    names.map((name) => `${name}/`),
    "directory",
  );
  const missing = await handWrittenFiles(session, pages, 2);
  assert.deepEqual(missing, []);
}

describe("finishing the build when the page worker is gone", () => {
  it("takes the worker's pages' links again from their files", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "sp-finish-"));
    dirs.push(work);
    const outDir = path.join(work, "dist");
    const stateDir = path.join(work, "state");
    const { session, prerendered } = await startSession(stateDir);
    const names = ["a", "b", "c"];
    await render(prerendered, outDir, names);
    assert.equal(session.offload?.keepsLinks, true, "the worker holds the pages' links");
    await handOver(session, outDir, names);
    await session.offload?.close(); // as if the worker had died before the end of the build
    const finished = await session.finish({});
    assert.equal(finished?.recognised, 3, "each page recognised, none read whole or rewritten");
    assert.equal(finished?.summary.links, 3);
    const manifest = (await readManifest(stateDir)) as Manifest;
    assert.deepEqual(linkedPage(manifest.pages[`${SITE}b/`]), {
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
      const { session, prerendered } = await startSession(stateDir, true);
      // The first page starts the worker; the others wait until it has said what the
      // cache holds, so they are taken from it without being sent.
      await render(prerendered, outDir, names.slice(0, 1));
      await session.offload?.unchangedKnown;
      await render(prerendered, outDir, names.slice(1), 1, html);
      await handOver(session, outDir, names);
      if (lose) await session.offload?.close(); // the worker dies before the end of the build
      const finished = await session.finish({});
      await session.close();
      return finished;
    };
    assert.equal((await build(false))?.unchanged, 0, "writes the page cache");
    // b and c looked up here; a, sent before the worker had said, answered from it there.
    assert.equal((await build(false))?.unchanged, 3, "every page taken from the cache");
    const lost = await build(true);
    // Their files are recognised by the output fingerprint the cache keeps.
    assert.equal(lost?.recognised, 3);
    assert.equal(lost?.summary.links, 3);
    const manifest = (await readManifest(stateDir)) as Manifest;
    assert.deepEqual(linkedPage(manifest.pages[`${SITE}c/`]), {
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
    assert.equal(third?.unchanged, 2, "c not from the cache");
    const after = (await readManifest(stateDir)) as Manifest;
    assert.deepEqual(after.pages[`${SITE}c/`]?.links, ["https://t9.example/"]);
  });
});
