import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { linkOrCopyFileAtomic, writeFileAtomic } from "../src/files/json-file.ts";

describe("writeFileAtomic with chunks", () => {
  it("writes chunks that come one at a time, each reusing the same buffer, in order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sp-write-atomic-"));
    try {
      // One buffer refilled for every chunk, as EntryFile.read does: each must be
      // taken before the next is asked for. Small ones, and some above the 1 MB stage.
      const sizes = [5, 0, 700_000, 3, 2_500_000, 400_000, 400_000, 1];
      const shared = Buffer.alloc(3_000_000);
      const expected: Buffer[] = [];
      function* chunks() {
        for (const [k, size] of sizes.entries()) {
          shared.fill(65 + k, 0, size);
          expected.push(Buffer.from(shared.subarray(0, size)));
          yield shared.subarray(0, size);
        }
      }
      const file = join(dir, "out.bin");
      await writeFileAtomic(file, chunks(), { durable: false });
      assert.deepEqual(await readFile(file), Buffer.concat(expected));
      const copy = join(dir, "copy.bin");
      await linkOrCopyFileAtomic(file, copy);
      assert.deepEqual(await readFile(copy), Buffer.concat(expected));
      assert.deepEqual((await readdir(dir)).sort(), ["copy.bin", "out.bin"], "no temporary left");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("linkOrCopyFileAtomic", () => {
  it("links where it can, and the copy keeps its data when the original is written again", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sp-link-atomic-"));
    try {
      const file = join(dir, "manifest.json");
      const copy = join(dir, "site", "pingback-manifest.json");
      await writeFileAtomic(file, "first build\n", { durable: false });
      await mkdir(join(dir, "site"));
      await linkOrCopyFileAtomic(file, copy);
      assert.equal((await stat(copy)).ino, (await stat(file)).ino, "one file, no data written");
      // The next build writes a new file over the original, as every build file is written.
      await writeFileAtomic(file, "second build\n", { durable: false });
      assert.equal(await readFile(copy, "utf8"), "first build\n");
      await linkOrCopyFileAtomic(file, copy);
      assert.equal(await readFile(copy, "utf8"), "second build\n");
      assert.deepEqual(await readdir(join(dir, "site")), ["pingback-manifest.json"]);
      // Published again with no new build between: the copy is already a link to the file.
      await linkOrCopyFileAtomic(file, copy);
      assert.deepEqual(
        await readdir(join(dir, "site")),
        ["pingback-manifest.json"],
        "no temporary left",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("copies across file systems, where a link cannot go", async (t) => {
    // /dev/shm is a memory file system of its own on Linux: a link from the temp dir fails.
    const other = await stat("/dev/shm").catch(() => undefined);
    const dir = await mkdtemp(join(tmpdir(), "sp-link-atomic-"));
    if (!other || other.dev === (await stat(dir)).dev) {
      await rm(dir, { recursive: true, force: true });
      t.skip("no second file system here");
      return;
    }
    const target = await mkdtemp("/dev/shm/sp-link-atomic-");
    try {
      const file = join(dir, "manifest.json");
      await writeFileAtomic(file, "pages\n", { durable: false });
      const copy = join(target, "pingback-manifest.json");
      await linkOrCopyFileAtomic(file, copy);
      assert.equal(await readFile(copy, "utf8"), "pages\n");
      assert.notEqual((await stat(copy)).ino, (await stat(file)).ino);
      assert.deepEqual(await readdir(target), ["pingback-manifest.json"], "no temporary left");
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
    }
  });
});
