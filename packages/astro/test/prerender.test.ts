import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Manifest } from "@static-pingback/core";
import type { AstroIntegration } from "astro";
import { linkedPage } from "../../../test/support/manifest-pages.ts";
import staticPingback from "../src/index.ts";
import {
  buildSite,
  type FixtureBuild,
  fixtureRoot,
  listFiles,
  readJson,
  workDir,
} from "./helpers/build-fixture.ts";

const ENDPOINT = "https://pb.example.net/xmlrpc";
const LINK_ELEMENT = `<link rel="pingback" href="${ENDPOINT}">`;
const root = fixtureRoot("prerender");
const TOUCHED = "posts/touched/index.html";

/** The inode of every HTML page in the output: a page rewritten atomically gets a new one. */
async function inodes(outDir: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const file of await listFiles(outDir)) {
    if (file.endsWith(".html")) found.set(file, (await stat(path.join(outDir, file))).ino);
  }
  return found;
}

interface Observed {
  build: FixtureBuild;
  /** Pages the integration's astro:build:done replaced. */
  rewritten: string[];
}

/**
 * Builds the fixture with the integration between two observers: the first changes one
 * page in place (as an optimising integration listed earlier might) and notes inodes,
 * the second notes them again after the integration's own astro:build:done.
 */
async function observedBuild(options: { workerThread?: boolean } = {}): Promise<Observed> {
  const work = await workDir("prerender");
  let before = new Map<string, number>();
  let after = new Map<string, number>();
  const first: AstroIntegration = {
    name: "test:before",
    hooks: {
      "astro:build:done": async ({ dir }) => {
        const outDir = fileURLToPath(dir);
        const file = path.join(outDir, TOUCHED);
        await writeFile(file, `${await readFile(file, "utf8")}<!-- optimised -->\n`);
        before = await inodes(outDir);
      },
    },
  };
  const last: AstroIntegration = {
    name: "test:after",
    hooks: {
      "astro:build:done": async ({ dir }) => {
        after = await inodes(fileURLToPath(dir));
      },
    },
  };
  const build = await buildSite(root, work, {
    site: "https://example.com",
    integrations: [
      first,
      staticPingback({ endpoint: ENDPOINT, stateDir: path.join(work, ".pingback"), ...options }),
      last,
    ],
  });
  const rewritten = [...after].filter(([file, inode]) => before.get(file) !== inode);
  return { build, rewritten: rewritten.map(([file]) => file).sort() };
}

describe("pages take the link element while Astro renders them", () => {
  let plain: FixtureBuild;
  let withWorker: Observed;
  let inline: Observed;
  before(async () => {
    plain = await buildSite(root, await workDir("prerender-plain"), {
      site: "https://example.com",
    });
    withWorker = await observedBuild();
    inline = await observedBuild({ workerThread: false });
  });

  it("writes each page once: astro:build:done rewrites only where the head alone misled", () => {
    // The page naming its own endpoint in its body got the element from the middleware,
    // and the whole-page check took it out again.
    assert.deepEqual(withWorker.rewritten, ["posts/own-endpoint/index.html"]);
    assert.deepEqual(inline.rewritten, [], "processed whole in the middleware: nothing to redo");
  });

  it("gives every page what processing the plain build's file gives", async () => {
    for (const file of await listFiles(plain.outDir)) {
      if (!file.endsWith(".html")) continue;
      const source = await readFile(path.join(plain.outDir, file), "utf8");
      const built = await readFile(path.join(withWorker.build.outDir, file), "utf8");
      const expected =
        file === "posts/own-endpoint/index.html"
          ? source
          : source.replace('<meta charset="utf-8">', `$&${LINK_ELEMENT}`);
      const touched = file === TOUCHED ? "<!-- optimised -->\n" : "";
      assert.equal(built, expected + touched, file);
    }
  });

  it("records the same manifest with and without the worker, for every kind of page", async () => {
    const manifest = await readJson<Manifest>(
      path.join(withWorker.build.stateDir, "manifest.json"),
    );
    const other = await readJson<Manifest>(path.join(inline.build.stateDir, "manifest.json"));
    assert.deepEqual(manifest.pages, other.pages);
    assert.deepEqual(linkedPage(manifest.pages["https://example.com/posts/own-endpoint/"]), {
      pingback: true,
      links: ["https://three.example/"],
    });
    assert.deepEqual(linkedPage(manifest.pages["https://example.com/posts/touched/"]), {
      pingback: true,
      links: ["https://four.example/"],
    });
    assert.deepEqual(linkedPage(manifest.pages["https://example.com/posts/post-3/"]), {
      pingback: true,
      links: ["https://one.example/3", "https://two.example/p?q=3"],
    });
    assert.equal(Object.keys(manifest.pages).length, 8);
    const published = await readFile(
      path.join(withWorker.build.outDir, "pingback-manifest.json"),
      "utf8",
    );
    assert.equal(
      published,
      await readFile(path.join(withWorker.build.stateDir, "manifest.json"), "utf8"),
    );
  });
});
