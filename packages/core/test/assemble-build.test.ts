import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  assembleBuild,
  buildManifest,
  diffManifests,
  formatJson,
  type Manifest,
  type ManifestPageInput,
  preparePage,
  resolveOptions,
} from "../src/index.ts";
import { pagesFromBytes } from "../src/manifest/previous-manifest.ts";
import { type PreviousPages, pagesOfManifest } from "../src/manifest/previous-pages.ts";

/** The previous manifest as a build reads it: parsed, or its file indexed by page. */
function asRead(manifest: Manifest | undefined, indexed: boolean): PreviousPages | undefined {
  if (manifest === undefined) return undefined;
  return indexed
    ? pagesFromBytes(Buffer.from(formatJson(manifest)), "previous.json")
    : pagesOfManifest(manifest);
}

const options = resolveOptions(
  { site: "https://example.com", endpoint: "https://example.com/xmlrpc", stateDir: "unused" },
  "test",
);
const at = new Date("2026-01-02T03:04:05.000Z");

/** A seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Pages with odd URLs, repeated links, pages listed twice, and disabled pages. */
function pagesOf(seed: number, count: number): ManifestPageInput[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const paths = ["a", "b", "é", "Z", "a-b", "a/b", "%C3%A9", "x y", "\u{1F600}", 'quote"d', "a\\b"];
  const pages: ManifestPageInput[] = [];
  for (let k = 0; k < count; k++) {
    const url = `https://example.com/${pick(paths)}${Math.floor(next() * count)}/`;
    const links = Array.from(
      { length: Math.floor(next() * 6) },
      () => `https://${pick(["a", "b", "ü", "c"])}.example/${pick(paths)}`,
    );
    // Some pages carry a content fingerprint (from adapters that give one), some not.
    const hash = next() < 0.5 ? { contentHash: pick(["h1", "h2", "h3"]) } : {};
    pages.push({ url, pingback: next() < 0.8, links, ...hash });
  }
  return pages;
}

/** What finishBuild wrote before pages were prepared: the reference result. */
function reference(pages: ManifestPageInput[], previous: Manifest | undefined) {
  const manifest = buildManifest(pages, options, at);
  return {
    manifest,
    manifestBytes: Buffer.from(formatJson(manifest)),
    outbox: diffManifests(previous, manifest),
  };
}

describe("assembleBuild gives what buildManifest, formatJson and diffManifests give", () => {
  it("on 300 random builds, each against a random previous manifest or none", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const pages = pagesOf(seed, 1 + (seed % 40));
      const previous =
        seed % 5 === 0 ? undefined : buildManifest(pagesOf(seed + 1000, seed % 30), options, at);
      const expected = reference(pages, previous);
      const read = asRead(previous, seed % 2 === 0);
      const raw = assembleBuild(pages, read, options, at);
      assert.deepEqual(
        Buffer.concat([...raw.manifestChunks]),
        expected.manifestBytes,
        `seed ${seed}: text from raw pages`,
      );
      const pages_ = Object.values(expected.manifest.pages);
      assert.deepEqual(
        raw.counts,
        {
          pages: pages_.length,
          enabled: pages_.filter((page) => page.pingback).length,
          links: pages_.reduce((sum, page) => sum + page.links.length, 0),
        },
        `seed ${seed}: counts`,
      );
      assert.deepEqual(raw.outbox, expected.outbox, `seed ${seed}: outbox`);
      // Prepared in advance (as the page worker does), some against the wrong manifest.
      const prepared = pages.map((page, k) => preparePage(page, k % 3 === 0 ? undefined : read));
      const fromPrepared = assembleBuild(prepared, read, options, at);
      assert.deepEqual(
        Buffer.concat([...fromPrepared.manifestChunks]),
        expected.manifestBytes,
        `seed ${seed}: prepared`,
      );
      assert.deepEqual(fromPrepared.outbox, expected.outbox, `seed ${seed}: prepared outbox`);
    }
  });

  it("with no pages at all", () => {
    const previous = buildManifest(pagesOf(7, 5), options, at);
    const expected = reference([], previous);
    const assembled = assembleBuild([], asRead(previous, true), options, at);
    assert.deepEqual(Buffer.concat([...assembled.manifestChunks]), expected.manifestBytes);
    assert.deepEqual(assembled.outbox, expected.outbox);
    assert.ok(assembled.outbox.pagesRemoved.length > 0);
  });

  it("with a previous manifest whose links a person left unsorted", () => {
    const previous = buildManifest(pagesOf(9, 10), options, at);
    for (const page of Object.values(previous.pages)) page.links.reverse();
    const pages = pagesOf(9, 10);
    for (const indexed of [false, true]) {
      assert.deepEqual(
        assembleBuild(pages, asRead(previous, indexed), options, at).outbox,
        reference(pages, previous).outbox,
      );
    }
  });

  it("against the previous file indexed, when most pages did not change", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const pages = pagesOf(seed, 30);
      // The build before: some pages with other links, one page fewer, one more.
      const before = pagesOf(seed, 30).map((page, k) =>
        k % 7 === 3 ? { ...page, links: page.links.slice(1) } : page,
      );
      before.splice(seed % 30, 1, ...pagesOf(seed + 500, 1));
      const previous = buildManifest(before, options, at);
      const read = asRead(previous, true) as PreviousPages;
      const expected = reference(pages, previous);
      const prepared = pages.map((page) => preparePage(page, read));
      const assembled = assembleBuild(prepared, read, options, at);
      assert.deepEqual(Buffer.concat([...assembled.manifestChunks]), expected.manifestBytes);
      assert.deepEqual(assembled.outbox, expected.outbox, `seed ${seed}`);
      // An unchanged page's entry is the previous file's own bytes, not a copy.
      const once = (url: string) => pages.filter((page) => page.url === url).length === 1;
      const same = prepared.filter(
        (page) =>
          read.entry(page.url) && page.added.length + page.removed.length === 0 && once(page.url),
      );
      assert.ok(same.length > 15, `seed ${seed}: ${same.length} unchanged`);
      for (const page of same) {
        const before = read.entry(page.url) as Uint8Array;
        const entry = page.entry as Uint8Array;
        const shared = entry.buffer === before.buffer && entry.byteOffset === before.byteOffset;
        assert.ok(shared, `seed ${seed}: ${page.url} shares the previous bytes`);
      }
    }
  });
});
