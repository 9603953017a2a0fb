import assert from "node:assert/strict";
import { copyFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { post, trickyFiles } from "./fixture.ts";
import { buildInChild, createProject, filesUnder, type Project } from "./helpers.ts";

const manifestPages = async (project: Project) =>
  (await project.readJson<{ pages: unknown }>(".pingback/manifest.json")).pages;
const outboxAdded = async (project: Project) =>
  (await project.readJson<{ added: { source: string; target: string }[] }>(".pingback/outbox.json"))
    .added;

/** How many pages the build's summary line says came from the page cache (0: none). */
function fromCache(lines: readonly string[]): number {
  const summary = lines.find((line) => line.includes("outbound links"));
  assert.ok(summary, lines.join("\n"));
  return Number(/; (\d+) taken from the page cache/.exec(summary)?.[1] ?? 0);
}

// Builds run in child processes: Eleventy caches input files per process, so an
// in-process rebuild would not see an edit.
describe("page cache in Eleventy rebuilds", () => {
  it("takes unchanged pages from the cache, with the same output as a plain build", async () => {
    const cached = await createProject(trickyFiles());
    const plain = await createProject(trickyFiles());
    try {
      const first = await buildInChild(cached, { workerThread: true });
      assert.equal(fromCache(first), 0);
      assert.ok((await stat(join(cached.stateDir, "page-cache.json"))).isFile());
      const firstOutput = await filesUnder(cached.output);

      const second = await buildInChild(cached, { workerThread: true });
      // index, first, second, 40 posts and the headless page; not the 404 page (not
      // taking part) nor the page with a warning, which is warned about again.
      assert.equal(fromCache(second), 44, second.join("\n"));
      assert.equal(second.filter((line) => line.includes("declared")).length, 1);
      assert.deepEqual(await filesUnder(cached.output), firstOutput);
      assert.deepEqual(await outboxAdded(cached), []);

      // One post edited: it alone is processed; everything matches a build without
      // worker or cache of the same edit.
      const edit = {
        "posts/many-7.md": post("Many 7", "Now [elsewhere](https://moved.example/q)."),
      };
      await cached.write(edit);
      await plain.write(edit);
      const third = await buildInChild(cached, { workerThread: true });
      assert.equal(fromCache(third), 43);
      assert.deepEqual(await outboxAdded(cached), [
        { source: "https://blog.example/posts/many-7/", target: "https://moved.example/q" },
      ]);
      await buildInChild(plain, { workerThread: false, pageCache: false });
      assert.deepEqual(await filesUnder(cached.output), await filesUnder(plain.output));
      assert.deepEqual(await manifestPages(cached), await manifestPages(plain));
    } finally {
      await cached.remove();
      await plain.remove();
    }
  });

  it("is neither used nor written with pageCache: false or with previousManifest", async () => {
    const project = await createProject(trickyFiles());
    try {
      await buildInChild(project, { workerThread: true, pageCache: false });
      await assert.rejects(stat(join(project.stateDir, "page-cache.json")), { code: "ENOENT" });
      await buildInChild(project, { workerThread: true });
      const previousManifest = join(project.root, "deployed-manifest.json");
      await copyFile(join(project.stateDir, "manifest.json"), previousManifest);
      const lines = await buildInChild(project, { workerThread: true, previousManifest });
      assert.equal(fromCache(lines), 0, lines.join("\n"));
      assert.equal(fromCache(await buildInChild(project, { workerThread: true })), 0);
    } finally {
      await project.remove();
    }
  });
});
