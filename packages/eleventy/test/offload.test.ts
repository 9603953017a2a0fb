import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { UserConfig } from "@11ty/eleventy";
import { PageOffload } from "@static-pingback/core/offload";
import { FILES, post } from "./fixture.ts";
import { build, captureLog, createProject, type Project } from "./helpers.ts";

/** Every file under a directory, by path relative to it, but the published manifest (dated). */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "pingback-manifest.json") continue;
    const file = join(entry.parentPath, entry.name);
    found.set(relative(dir, file), await readFile(file, "utf8"));
  }
  return found;
}

const manifestPages = async (project: Project) =>
  (await project.readJson<{ pages: unknown }>(".pingback/manifest.json")).pages;

/** Slow global data keeps Eleventy rendering until the worker has loaded. */
const slowData = (config: UserConfig) => config.addGlobalData("slow", () => sleep(300));

/** Pages where the head alone does not tell the whole answer, beside ordinary ones. */
function trickyFiles(): Record<string, string> {
  const files: Record<string, string> = { ...FILES };
  for (let i = 0; i < 40; i++) {
    files[`posts/many-${i}.md`] = post(
      `Many ${i}`,
      `See [site ${i}](https://s${i}.example/p) and [home](/).`,
    );
  }
  // A pingback link in the body: the head says "insert", the whole page says otherwise.
  files["posts/declared.md"] = post(
    "Declared",
    `<link rel="pingback" href="https://elsewhere.example/xmlrpc">\n\n[A](https://a.example/).`,
  );
  // No <head> at all: nothing to predict from, so the transform waits for the worker.
  files["headless.njk"] =
    `---\npermalink: /headless/\n---\n<!doctype html><title>x</title><main><a href="https://h.example/">h</a></main>\n`;
  return files;
}

describe("page worker thread in an Eleventy build", () => {
  it("gives the same pages, manifest and outbox with and without the worker", async () => {
    const files = trickyFiles();
    const withWorker = await createProject(files);
    const inline = await createProject(files);
    try {
      const before = PageOffload.answered;
      const { lines } = await captureLog(() =>
        build(withWorker, { workerThread: true }, { configure: slowData }),
      );
      const { lines: inlineLines } = await captureLog(() =>
        build(inline, { workerThread: false }, { configure: slowData }),
      );
      assert.ok(
        PageOffload.answered - before >= 40,
        `worker answered ${PageOffload.answered - before} pages`,
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
