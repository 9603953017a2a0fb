import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PingbackFileError } from "../src/files/file-error.ts";
import {
  buildManifest,
  finishBuild,
  formatJson,
  loadPreviousManifest,
  type Manifest,
  resolveOptions,
} from "../src/index.ts";
import { EntryFile, entryData } from "../src/manifest/entry-file.ts";
import { preparePage } from "../src/manifest/prepared-page.ts";
import { pagesFromBytes } from "../src/manifest/previous-manifest.ts";
import { indexManifestBytes, type PreviousPages } from "../src/manifest/previous-pages.ts";

const options = resolveOptions(
  { site: "https://example.com", endpoint: "https://example.com/xmlrpc", stateDir: "unused" },
  "test",
);
const at = new Date("2026-01-02T03:04:05.000Z");
const pages = [
  {
    url: "https://example.com/b/",
    pingback: true,
    // Braces inside strings: the index finds an entry's end by its brace.
    links: [
      "https://z.example/",
      "https://a.example/é",
      "https://t.example/}",
      "https://t.example/{}/%7D",
    ],
  },
  { url: "https://example.com/}/", pingback: true, links: ["https://t.example/\n    }"] },
  { url: "https://example.com/a/", pingback: false, links: [] },
  {
    url: 'https://example.com/q"uote/~x/',
    pingback: true,
    links: ["https://a.example/"],
    contentHash: "h",
  },
];
const manifest = buildManifest(pages, options, at);
const bytes = Buffer.from(formatJson(manifest));

/** Everything a build reads of the previous pages, as plain data. */
function readAll(read: PreviousPages) {
  return {
    generatedAt: read.generatedAt,
    urls: [...read.urls],
    pages: read.urls.map((url) => read.page(url)),
  };
}
const expected = {
  generatedAt: manifest.generatedAt,
  urls: Object.keys(manifest.pages).sort(),
  pages: Object.keys(manifest.pages)
    .sort()
    .map((url) => manifest.pages[url]),
};

describe("the previous manifest's pages", () => {
  it("indexes this package's layout by page, each entry the bytes a build writes for it", () => {
    const read = indexManifestBytes(bytes, "manifest.json", false);
    assert.ok(read, "indexed");
    assert.deepEqual(readAll(read), expected);
    for (const page of pages) {
      const entry = entryData(read.entry(page.url) as Uint8Array);
      assert.deepEqual(
        Buffer.from(entry),
        Buffer.from(entryData(preparePage(page, undefined).entry)),
      );
    }
    assert.equal(read.entry("https://example.com/missing/"), undefined);
    assert.equal(read.page("https://example.com/missing/"), undefined);
    const empty = Buffer.from(formatJson({ ...manifest, pages: {} }));
    assert.deepEqual(indexManifestBytes(empty, "m", false)?.urls, []);
  });

  it("parses any other layout whole, with the same pages (and JSON's last-key-wins)", () => {
    const twice = bytes
      .toString("utf8")
      .replace(
        '"https://example.com/a/": {',
        '"https://example.com/b/": { "pingback": false, "links": [] },\n    "https://example.com/a/": {',
      );
    const layouts = {
      minified: Buffer.from(JSON.stringify(manifest)),
      "byte order mark": Buffer.from(`\uFEFF${formatJson(manifest)}`),
      "CRLF line ends": Buffer.from(formatJson(manifest).replaceAll("\n", "\r\n")),
      "four-space indent": Buffer.from(JSON.stringify(manifest, null, 4)),
      "a key given twice": Buffer.from(twice),
    };
    for (const [name, layout] of Object.entries(layouts)) {
      assert.equal(indexManifestBytes(layout, "m", false), undefined, `${name}: not indexed`);
      const parsed = JSON.parse(layout.toString("utf8").replace(/^\uFEFF/, "")) as Manifest;
      const read = pagesFromBytes(layout, "m");
      assert.deepEqual(
        readAll(read),
        {
          ...expected,
          pages: expected.urls.map((url) => parsed.pages[url]),
        },
        name,
      );
    }
  });

  it("reports what follows the pages, and a bad head, as the file's errors", () => {
    assert.throws(
      () => pagesFromBytes(Buffer.concat([bytes, Buffer.from("{}")]), "trailing.json"),
      (error: unknown) =>
        error instanceof PingbackFileError && /not valid JSON/.test(error.message),
    );
    const badHead = Buffer.from(bytes.toString("utf8").replace('"version": 1', '"version": 2'));
    assert.throws(
      () => pagesFromBytes(badHead, "head.json"),
      (error: unknown) => error instanceof PingbackFileError && error.pointer === "/version",
    );
  });

  it("checks an entry only when it is read, and names it", () => {
    const damaged = Buffer.from(
      bytes.toString("utf8").replace('"pingback": false', '"pingback": fals'),
    );
    const read = pagesFromBytes(damaged, "damaged.json");
    assert.deepEqual(read.page("https://example.com/b/"), manifest.pages["https://example.com/b/"]);
    assert.throws(
      () => read.page("https://example.com/a/"),
      (error: unknown) =>
        error instanceof PingbackFileError &&
        error.file === "damaged.json" &&
        error.pointer === "/pages/https:~1~1example.com~1a~1" &&
        /not valid JSON/.test(error.message),
    );
    // An entry whose lines hide a second page is refused, not half read.
    const hidden = Buffer.from(
      bytes
        .toString("utf8")
        .replace(
          '"pingback": false,',
          '"pingback": false, "links": [] }, "https://example.com/z/": { "pingback": true,',
        ),
    );
    assert.throws(
      () => pagesFromBytes(hidden, "hidden.json").page("https://example.com/a/"),
      /more than one page's entry/,
    );
    // A trusted file (the page cache knew its digest) is not checked against the schema.
    const wrongType = Buffer.from(
      bytes.toString("utf8").replace('"pingback": false', '"pingback": 0'),
    );
    assert.throws(
      () => pagesFromBytes(wrongType, "w.json").page("https://example.com/a/"),
      PingbackFileError,
    );
    assert.equal(
      pagesFromBytes(wrongType, "w.json", true).page("https://example.com/a/")?.pingback,
      0,
    );
  });

  it("fails the build on a damaged entry of a page that changed, and keeps the file", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sp-previous-pages-"));
    try {
      const built = { ...options, stateDir };
      await finishBuild({ pages, options: built, generatedAt: at });
      const file = join(stateDir, "manifest.json");
      const damaged = (await readFile(file, "utf8")).replace(
        '"pingback": false',
        '"pingback": fals',
      );
      await writeFile(file, damaged);
      // The damaged page is unchanged: its bytes differ from what the build makes, so
      // they are read, and fail.
      await assert.rejects(
        finishBuild({ pages, options: built }),
        (error: unknown) => error instanceof PingbackFileError && error.file === file,
      );
      assert.equal(await readFile(file, "utf8"), damaged);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it("reads the state directory's manifest from the open file, entry by entry", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sp-previous-file-"));
    try {
      await writeFile(join(stateDir, "manifest.json"), bytes);
      const { pages: read } = await loadPreviousManifest(stateDir);
      assert.ok(read);
      const entry = read.entry("https://example.com/b/");
      assert.ok(entry && !(entry instanceof Uint8Array), "a range of the file, not bytes");
      assert.deepEqual(readAll(read), expected);
      // An unchanged page is told by its entry's digest, without reading the file.
      const page = pages[0] as (typeof pages)[number];
      const same = entryData(preparePage(page, undefined).entry);
      assert.deepEqual(read.unchanged(page.url, same), read.entry(page.url));
      const other = entryData(preparePage({ ...page, pingback: false }, undefined).entry);
      assert.equal(read.unchanged(page.url, other), undefined);
      assert.equal(read.unchanged("https://example.com/new/", same), undefined);
      read.close();
      assert.throws(() => read.page("https://example.com/b/"), /after close/);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

describe("entry file", () => {
  it("keeps appended entries on disk and reads each back by its range", () => {
    const file = EntryFile.temporary();
    try {
      const texts = ["first", "é, then more", "", "x".repeat(70_000)];
      const ranges = texts.map((text) => file.append(Buffer.from(text)));
      assert.deepEqual(
        ranges.map((range) => Buffer.from(entryData(range)).toString("utf8")),
        texts,
      );
      assert.equal(ranges[1]?.start, 5);
      assert.throws(() => file.read(0, 1_000_000), /ends before byte 1000000/);
    } finally {
      file.close();
    }
    assert.throws(() => file.read(0, 1), /after close/);
    file.close();
  });
});
