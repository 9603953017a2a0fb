import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { copyFileAtomic, writeFileAtomic } from "../src/files/json-file.ts";

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
      await copyFileAtomic(file, copy);
      assert.deepEqual(await readFile(copy), Buffer.concat(expected));
      assert.deepEqual((await readdir(dir)).sort(), ["copy.bin", "out.bin"], "no temporary left");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
