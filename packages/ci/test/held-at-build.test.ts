import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { finishBuild, processPage, resolveOptions } from "@static-pingback/core";
import { writeBuildRecord } from "@static-pingback/core/explain";
import { heldAtBuild, type RunSummary, renderMarkdown } from "../src/index.ts";

const OLD = `<main><a href="https://peer.example/old">old</a></main>`;
const NEW = `<main><a href="https://peer.example/new">new</a> <a href="/old/">my old post</a>
<a href="https://social.example/share?u=1">share</a> <a href="https://evil.example/|<b>x</b>">odd</a></main>`;

/** Two builds by core's own functions: the second adds a page with held-back links. */
async function twoBuilds(dir: string): Promise<string> {
  const stateDir = join(dir, "state");
  const out = join(dir, "out");
  const options = resolveOptions(
    { site: "https://me.example/", stateDir, excludeLinks: ["https://social.example/**"] },
    "test",
  );
  const build = async (pages: Record<string, string>) => {
    const built = [];
    for (const [path, html] of Object.entries(pages)) {
      const url = new URL(path, options.site).href;
      const result = processPage(html, url, options);
      await mkdir(join(out, path), { recursive: true });
      await writeFile(join(out, path, "index.html"), result.html);
      built.push({ url, pingback: result.pingback, links: result.links });
    }
    await finishBuild({ pages: built, options, publishDir: out });
    await writeBuildRecord(options, out);
  };
  await build({ "old/": OLD });
  assert.deepEqual((await heldAtBuild(stateDir)).links, [], "a first build tells nothing");
  await build({ "old/": OLD, "new/": NEW });
  return stateDir;
}

describe("the job summary: links left out at build time", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-ci-held-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("lists the excluded and same-site links of changed pages, escaped, with their reasons", async () => {
    const stateDir = await twoBuilds(dir);
    const held = await heldAtBuild(stateDir);
    assert.equal(held.pagesLeftOut, 0);
    assert.deepEqual(
      held.links.map((link) => [link.source, link.target, link.outcome, link.reason]),
      [
        ["https://me.example/new/", "https://me.example/old/", "same-site", "same-site"],
        [
          "https://me.example/new/",
          "https://social.example/share?u=1",
          "excluded",
          "excluded (https://social.example/**)",
        ],
      ],
    );
    const summary: RunSummary = {
      dryRun: false,
      firstRun: false,
      stopped: false,
      pairs: [],
      settledEarlier: 1,
      plannedBaseline: 0,
      heldAtBuild: held.links,
      totals: {},
      stateChanged: false,
      notes: [],
    };
    const text = renderMarkdown(summary);
    assert.match(text, /1 excluded at build time, 1 same-site at build time/);
    assert.match(text, /#### Left out at build time \(2\)/);
    // URLs in code spans; the reason escaped like every cell (no autolink, no emphasis).
    assert.ok(
      text.includes(
        "| ` https://me.example/new/ ` | ` https://social.example/share?u=1 ` | excluded (https\\://social.example/\\*\\*) |",
      ),
      text,
    );
  });
});
