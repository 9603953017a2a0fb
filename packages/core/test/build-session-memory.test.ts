import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startedSession } from "./support/started-session.ts";

const SITE = "https://example.com/";
const shared = { site: SITE, endpoint: "https://example.com/xmlrpc" };
const PAGES = 150;
const PAGE_CHARS = 100_000;

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A full garbage collection, without starting Node with --expose-gc. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("BuildSession: memory while the worker's answers are pending", () => {
  it("keeps no page it handed back at once alive (Eleventy reads no answer until every page is written)", {
    timeout: 60_000,
  }, async () => {
    const gc = collector();
    const work = await mkdtemp(join(tmpdir(), "sp-session-memory-"));
    dirs.push(work);
    const session = await startedSession(shared, work);
    gc();
    const before = getHeapStatistics().used_heap_size;
    // As Eleventy does: every transform in one run, the pages handed back at once and
    // then written (here: dropped), and no answer read before the event loop turns.
    for (let n = 0; n < PAGES; n++) {
      const body = Buffer.alloc(PAGE_CHARS, 97 + (n % 26)).toString("latin1");
      const html = `<!doctype html><html><head><title>${n}</title></head><body><article><p>${body}</p><a href="https://t${n}.example/">t</a></article></body></html>`;
      const output = session.transform({
        url: new URL(`p${n}/`, SITE),
        html,
        file: join(work, `p${n}.html`),
      });
      assert.equal(typeof output, "string", "handed back at once");
    }
    // The path under test: each page went to the page worker, none was done inline.
    assert.equal(session.offload?.lastId, PAGES - 1, "every page went to the page worker");
    // The pages go to the worker in microtasks; its answers wait for the event loop.
    for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    gc();
    const held = getHeapStatistics().used_heap_size - before;
    assert.ok(
      held < (PAGES * PAGE_CHARS) / 3,
      `${(held / 1e6).toFixed(1)} MB held for ${((PAGES * PAGE_CHARS) / 1e6).toFixed(0)} MB of pages handed back`,
    );
    const outcome = await session.finish({ written: undefined, writeRecords: false });
    assert.equal(outcome, undefined);
  });
});
