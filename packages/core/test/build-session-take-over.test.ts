import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { resolveOptions } from "../src/options/resolve-options.ts";
import { processPage } from "../src/page/process-page.ts";
import { startedSession } from "./support/started-session.ts";

const SITE = "https://example.com/";
const shared = { site: SITE, endpoint: "https://example.com/xmlrpc" };

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * 64 pages of about 1 M characters: the worker is sent 32 at once, and the 32 M
 * characters left waiting are enough for the take-over (TAKE_OVER_MIN_TEXT).
 */
const filler = `<p>${"words and more words ".repeat(50_000)}</p>`;
const PAGES = Array.from({ length: 64 }, (_, n) => ({
  url: new URL(`p${n}/`, SITE),
  html: `<!doctype html><html><head><meta charset="utf-8"><title>${n}</title></head><body><article>${filler}<a href="https://t${n}.example/">t</a></article></body></html>`,
}));

/** One full build as Eleventy runs it: every transform in one burst, then the end. */
async function build(stateDir: string, out: string, debug: string[]) {
  const session = await startedSession(shared, stateDir, {
    pageCache: true,
    log: {
      info: () => {},
      warn: (line) => debug.push(`warn ${line}`),
      debug: (line) => debug.push(line),
    },
  });
  const written = new Map<string, string>();
  const outputs = PAGES.map((page, n) => {
    const file = join(out, `p${n}`, "index.html");
    return Promise.resolve(session.transform({ ...page, file })).then((html) => {
      written.set(file, html);
      return html;
    });
  });
  const html = await Promise.all(outputs);
  const outcome = await session.finish({ written, outputDir: out });
  return { html, outcome };
}

describe("BuildSession: pages still waiting for the worker at the end", () => {
  it("are done on the main thread too, and go to the manifest and the page cache as the worker's do", {
    timeout: 120_000,
  }, async () => {
    const work = await mkdtemp(join(tmpdir(), "sp-take-over-"));
    dirs.push(work);
    const stateDir = join(work, "state");
    const out = join(work, "out");
    const debug: string[] = [];
    const first = await build(stateDir, out, debug);
    const options = resolveOptions(shared, "@static-pingback/test");
    for (const [n, page] of PAGES.entries()) {
      assert.equal(first.html[n], processPage(page.html, page.url.href, options).html);
    }
    assert.equal(first.outcome?.inserted, 64, "every page got the elements inserted");
    const line = debug.find((entry) => / pages done on this thread /.test(entry));
    assert.ok(line, `the debug log tells the pages taken over: ${debug.join(" | ")}`);
    assert.ok(!debug.some((entry) => entry.startsWith("warn ")), debug.join(" | "));
    const manifest = JSON.parse(await readFile(join(stateDir, "manifest.json"), "utf8"));
    assert.equal(Object.keys(manifest.pages).length, 64);
    assert.deepEqual(manifest.pages[`${SITE}p63/`].links, ["https://t63.example/"]);
    const cache = JSON.parse(await readFile(join(stateDir, "page-cache.json"), "utf8"));
    assert.equal(Object.keys(cache.pages).length, 64, "pages taken over are cached too");

    // The next build takes every page from the cache, those taken over included.
    const second = await build(stateDir, out, []);
    assert.deepEqual(second.html, first.html);
    assert.equal(second.outcome?.unchanged, 64);
  });
});
