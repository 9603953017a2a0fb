import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { UserConfig } from "@11ty/eleventy";
import { trickyFiles } from "./fixture.ts";
import { build, captureLog, createProject, filesUnder, type Project } from "./helpers.ts";

const manifestPages = async (project: Project) =>
  (await project.readJson<{ pages: unknown }>(".pingback/manifest.json")).pages;

/** Slow global data keeps Eleventy rendering until the worker has loaded. */
const slowData = (config: UserConfig) => config.addGlobalData("slow", () => sleep(300));

describe("page worker thread in an Eleventy build", () => {
  it("gives the same pages, manifest and outbox with and without the worker", async () => {
    const files = trickyFiles();
    const withWorker = await createProject(files);
    const inline = await createProject(files);
    try {
      const { lines } = await captureLog(() =>
        build(withWorker, { workerThread: true }, { configure: slowData }),
      );
      const { lines: inlineLines } = await captureLog(() =>
        build(inline, { workerThread: false }, { configure: slowData }),
      );
      // Only the worker writes the page cache, with an entry for each page it processed.
      const cached = Object.keys(
        (await withWorker.readJson<{ pages: object }>(".pingback/page-cache.json")).pages,
      ).length;
      assert.ok(cached >= 40, `worker processed ${cached} pages`);
      assert.equal(
        await stat(join(inline.root, ".pingback/page-cache.json")).catch(() => undefined),
        undefined,
        "no worker, no page cache",
      );
      // The wrong guess (posts/declared) was put right in its file.
      assert.deepEqual(await filesUnder(withWorker.output), await filesUnder(inline.output));
      assert.deepEqual(await manifestPages(withWorker), await manifestPages(inline));
      const outbox = async (project: Project) =>
        (await project.readJson<{ added: unknown[] }>(".pingback/outbox.json")).added;
      assert.deepEqual(await outbox(withWorker), await outbox(inline));
      const warnings = (log: string[]) =>
        log
          .filter((line) => line.includes("declared"))
          .map((line) => line.replace(/^.*?src\//, ""));
      assert.deepEqual(warnings(lines), warnings(inlineLines));
      assert.equal(warnings(lines).length, 1, lines.join("\n"));
    } finally {
      await withWorker.remove();
      await inline.remove();
    }
  });

  it("puts a wrong guess right in what a later transform made of the page", async () => {
    const files = trickyFiles();
    const withWorker = await createProject(files);
    const inline = await createProject(files);
    // Another plugin's transform runs after this one's and changes every page, moving
    // the link element away from where it was inserted.
    const afterPlugin = (config: UserConfig) =>
      config.addTransform("stamp", (content: string) =>
        typeof content === "string" ? `<!-- stamped -->\n${content}<!-- stamped -->\n` : content,
      );
    try {
      await captureLog(() =>
        build(withWorker, { workerThread: true }, { configure: slowData, afterPlugin }),
      );
      await captureLog(() =>
        build(inline, { workerThread: false }, { configure: slowData, afterPlugin }),
      );
      const written = await filesUnder(withWorker.output);
      assert.match(written.get("posts/declared/index.html") ?? "", /^<!-- stamped -->\n<!doctype/);
      assert.deepEqual(written, await filesUnder(inline.output));
      assert.deepEqual(await manifestPages(withWorker), await manifestPages(inline));
    } finally {
      await withWorker.remove();
      await inline.remove();
    }
  });

  it("writes no page in a dry run, and the manifest still", async () => {
    const project = await createProject(trickyFiles());
    try {
      await captureLog(() =>
        build(project, { workerThread: true }, { configure: slowData, dryRun: true }),
      );
      const written = await filesUnder(project.output).catch(() => new Map());
      assert.deepEqual(
        [...written.keys()].filter((file) => file.endsWith(".html")),
        [],
        "no page written",
      );
      const pages = (await manifestPages(project)) as Record<string, { links: string[] }>;
      assert.deepEqual(pages["https://blog.example/posts/many-3/"]?.links, [
        "https://s3.example/p",
      ]);
      assert.ok((await stat(join(project.stateDir, "outbox.json"))).isFile());
    } finally {
      await project.remove();
    }
  });
});
