import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { PageOffload } from "@static-pingback/core/offload";
import { FILES, post } from "./fixture.ts";
import { build, captureLog, createProject } from "./helpers.ts";

describe("page worker thread in an Eleventy build", () => {
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
