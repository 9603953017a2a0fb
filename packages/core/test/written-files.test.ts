import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import type { WrittenPageInput } from "../src/build/build-session.ts";
import { handWrittenFiles } from "../src/build/written-files.ts";

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("handWrittenFiles", () => {
  it("reads each page from its first existing file, a few at once, each URL once", async () => {
    const out = await mkdtemp(join(tmpdir(), "sp-written-"));
    dirs.push(out);
    await mkdir(join(out, "b"));
    await writeFile(join(out, "a.html"), "A");
    await writeFile(join(out, "b", "index.html"), "B");
    await writeFile(join(out, "b.html"), "not this one");
    for (let n = 0; n < 6; n++) await writeFile(join(out, `p${n}.html`), `P${n}`);
    const page = (name: string, files: string[]) => ({
      url: new URL(`https://example.com/${name}/`),
      key: `/${name}`,
      files: files.map((file) => join(out, file)),
    });
    const pages = [
      page("a", ["a/index.html", "a.html"]),
      page("b", ["b/index.html", "b.html"]),
      page("gone", ["gone/index.html", "gone.html", "a.html/index.html"]),
      page("a", ["a.html"]),
      ...Array.from({ length: 6 }, (_, n) => page(`p${n}`, [`p${n}.html`])),
    ];
    const seen: WrittenPageInput[] = [];
    let running = 0;
    let most = 0;
    const written = async (input: WrittenPageInput) => {
      running++;
      most = Math.max(most, running);
      for (let i = 0; i < 3; i++) await tick();
      seen.push(input);
      running--;
    };
    const missing = await handWrittenFiles({ written }, pages, 3);
    assert.deepEqual(
      missing.map((missed) => missed.key),
      ["/gone"],
    );
    assert.equal(most, 3);
    const byKey = new Map(seen.map((input) => [input.key, input]));
    assert.equal(seen.length, 8, "each URL once");
    assert.equal(byKey.get("/a")?.bytes.toString(), "A");
    assert.equal(byKey.get("/b")?.bytes.toString(), "B");
    assert.equal(byKey.get("/b")?.file, join(out, "b", "index.html"));
  });

  it("rejects with the session's first failure", async () => {
    const out = await mkdtemp(join(tmpdir(), "sp-written-"));
    dirs.push(out);
    await writeFile(join(out, "a.html"), "A");
    const pages = ["x", "y"].map((name) => ({
      url: new URL(`https://example.com/${name}/`),
      key: name,
      files: [join(out, "a.html")],
    }));
    const written = async () => {
      throw new Error("cannot process");
    };
    await assert.rejects(handWrittenFiles({ written }, pages, 2), /cannot process/);
    assert.deepEqual(await handWrittenFiles({ written }, [], 2), []);
  });
});
