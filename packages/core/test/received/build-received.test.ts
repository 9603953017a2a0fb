import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BuildReceived } from "../../src/received/build-received.ts";
import { resolveReceivedOptions } from "../../src/received/options.ts";

const PKG = "@static-pingback/test";
const feed = (...names: string[]) =>
  JSON.stringify({
    type: "feed",
    children: names.map((name, i) => ({
      "wm-source": `https://a.example/${i}`,
      "wm-target": "https://me.example/p/",
      name,
    })),
  });

describe("BuildReceived: one build's received mentions", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-build-received-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("loads once per build, whoever asks first, and again after reset() or a change of its file", async () => {
    const file = join(dir, "received.json");
    await writeFile(file, feed("One"));
    const warnings: string[] = [];
    const received = new BuildReceived(resolveReceivedOptions("received.json", PKG), {
      cwd: dir,
      warn: (message) => warnings.push(message),
    });
    assert.equal(received.watchFile, file);
    assert.equal(received.entries.length, 0);
    const [first, second] = await Promise.all([received.load(), received.load()]);
    assert.equal(first, second);
    assert.deepEqual(
      received.entries.map((entry) => entry.title),
      ["One"],
    );
    await writeFile(file, feed("One", "Two"));
    assert.equal((await received.load()).length, 1, "the same build keeps what it loaded");
    received.changed(join(dir, "other.json"));
    assert.equal((await received.load()).length, 1, "another file's change is not its");
    received.changed(file);
    assert.equal((await received.load()).length, 2, "its own file changed: loaded again");
    await writeFile(file, feed("One", "Two", "Three"));
    received.reset();
    assert.equal((await received.load()).length, 3);
    assert.deepEqual(warnings, []);
  });

  it("warns instead of failing when the source is broken, and has nothing to copy", async () => {
    await writeFile(join(dir, "bad.json"), "{ not json");
    const warnings: string[] = [];
    const received = new BuildReceived(resolveReceivedOptions("bad.json", PKG), {
      cwd: dir,
      warn: (message) => warnings.push(message),
    });
    assert.deepEqual(await received.load(), []);
    assert.match(warnings.join("\n"), /bad\.json is not valid JSON/);
    await received.copyAvatars(join(dir, "out"));
    assert.equal(warnings.length, 1);
  });

  it("without a source: no entries, no watch file, nothing loaded", async () => {
    const received = new BuildReceived(undefined, {
      warn: () => assert.fail("nothing to warn about"),
    });
    assert.equal(received.watchFile, undefined);
    assert.deepEqual(await received.load("/base/"), []);
    await received.copyAvatars(join(dir, "out"));
  });
});
