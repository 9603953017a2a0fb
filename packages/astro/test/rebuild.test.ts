import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import type { Manifest, Outbox } from "@static-pingback/core";
import staticPingback from "../src/index.ts";
import {
  buildSite,
  captureOutput,
  copyFixture,
  fixtureRoot,
  listFiles,
  readJson,
  workDir,
} from "./helpers/build-fixture.ts";

describe("a second build after a post changed (integration called with no arguments)", () => {
  let outbox: Outbox;
  let manifest: Manifest;
  let firstOutput: string;
  let secondOutput: string;
  let third: { output: string; outbox: Outbox; pages: Map<string, string> };
  let secondPages: Map<string, string>;
  let plainPages: Map<string, string>;
  before(async () => {
    const root = await copyFixture("site");
    const work = await workDir("rebuild");
    // As `astro add` writes it; the state directory is then the copy's own .pingback.
    const config = {
      site: "https://example.com",
      logLevel: "info" as const,
      integrations: [staticPingback()],
    };
    ({ output: firstOutput } = await captureOutput(() => buildSite(root, work, config)));
    const post = path.join(root, "src/pages/posts/second.astro");
    const text = await readFile(post, "utf8");
    await writeFile(
      post,
      text.replace("https://carol.example.net/a/b", "https://frank.example.org/"),
    );
    ({ output: secondOutput } = await captureOutput(() => buildSite(root, work, config)));
    outbox = await readJson<Outbox>(path.join(root, ".pingback/outbox.json"));
    manifest = await readJson<Manifest>(path.join(root, ".pingback/manifest.json"));
    secondPages = await htmlFiles(path.join(work, "dist"));
    // Nothing changed since: every page that takes part comes from the page cache.
    const { output } = await captureOutput(() => buildSite(root, work, config));
    third = {
      output,
      outbox: await readJson<Outbox>(path.join(root, ".pingback/outbox.json")),
      pages: await htmlFiles(path.join(work, "dist")),
    };
    // The same site without worker or cache, for comparison (last: it shares the state).
    const plainWork = await workDir("rebuild-plain");
    const plain = {
      ...config,
      integrations: [staticPingback({ workerThread: false, pageCache: false })],
    };
    await captureOutput(() => buildSite(root, plainWork, plain));
    plainPages = await htmlFiles(path.join(plainWork, "dist"));
  });

  it("takes the unchanged pages from the page cache, with the same pages as without it", () => {
    assert.doesNotMatch(firstOutput, /page cache/);
    // 4 pages take part. The one without a <head> is processed on the main thread (its
    // insertion cannot be guessed), so it is not cached; the edited one is processed again.
    assert.match(secondOutput, /5 pages \(4 taking part; 2 taken from the page cache\)/);
    assert.match(third.output, /5 pages \(4 taking part; 3 taken from the page cache\)/);
    assert.deepEqual(third.outbox.added, []);
    assert.deepEqual(third.outbox.removed, []);
    assert.deepEqual(third.pages, secondPages);
    assert.deepEqual(third.pages, plainPages);
    assert.equal(third.pages.size, 5);
  });

  it("puts only the new link in added and the dropped one in removed", () => {
    const source = "https://example.com/posts/second/";
    assert.deepEqual(outbox.added, [{ source, target: "https://frank.example.org/" }]);
    assert.deepEqual(outbox.removed, [{ source, target: "https://carol.example.net/a/b" }]);
    assert.deepEqual(outbox.pagesAdded, []);
    assert.deepEqual(outbox.pagesRemoved, []);
    assert.notEqual(outbox.previousGeneratedAt, null);
  });

  it("advertises webmention.io's endpoints for the site's domain by default, and says so", () => {
    assert.equal(manifest.endpoint, "https://webmention.io/example.com/xmlrpc");
    assert.equal(manifest.webmentionEndpoint, "https://webmention.io/example.com/webmention");
    assert.match(
      firstOutput,
      /\[@static-pingback\/astro\] advertising webmention.io's endpoints https:\/\/webmention.io\/example.com\/webmention and https:\/\/webmention.io\/example.com\/xmlrpc/,
    );
    assert.match(
      firstOutput,
      /5 pages \(4 taking part\), 6 outbound links, a first build: they are the baseline/,
    );
  });
});

/** Every HTML file under a directory, by relative path. */
async function htmlFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await listFiles(dir)) {
    if (file.endsWith(".html")) files.set(file, await readFile(path.join(dir, file), "utf8"));
  }
  return files;
}

describe("configuration problems", () => {
  it("fails the build with the option named in Astro's log when an option is invalid", async () => {
    const work = await workDir("invalid");
    const { value, output } = await captureOutput(() =>
      buildSite(fixtureRoot("site"), work, {
        site: "https://example.com",
        logLevel: "error",
        integrations: [staticPingback({ concurrency: 0, stateDir: path.join(work, ".pingback") })],
      }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    assert.ok(value instanceof Error);
    assert.match(value.message, /\[@static-pingback\/astro\] option "concurrency"/);
    assert.match(output, /option "concurrency" must be a positive integer/);
  });

  it("warns about the missing site option and does nothing, like @astrojs/sitemap", async () => {
    const work = await workDir("nosite");
    const { output } = await captureOutput(() =>
      buildSite(fixtureRoot("site"), work, {
        logLevel: "warn",
        integrations: [staticPingback({ stateDir: path.join(work, ".pingback") })],
      }),
    );
    assert.match(output, /@static-pingback\/astro.*needs the `site` option/);
    const html = await readFile(path.join(work, "dist/index.html"), "utf8");
    assert.doesNotMatch(html, /rel="pingback"/);
    await assert.rejects(readFile(path.join(work, ".pingback/manifest.json")), { code: "ENOENT" });
  });
});
