import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  finishBuild,
  linksOutsideArticle,
  type Manifest,
  type Outbox,
  PAGE_CACHE_FILE,
  type PageCache,
  pageFingerprint,
  processPage,
  readPageCache,
  resolveOptions,
} from "../src/index.ts";
import { PAGE_CACHE_VERSION, pageCacheKey, parsePageCache } from "../src/manifest/page-cache.ts";
import type { FinishSummary, PageJob } from "../src/offload/page-worker-messages.ts";
import { WorkerBuild } from "../src/offload/worker-build.ts";

const RAW = {
  site: "https://blog.example/",
  endpoint: "https://blog.example/xmlrpc",
  excludeLinks: [/nope\.example/],
};
const OPTIONS = resolveOptions(RAW, "@static-pingback/test");

/** A post with a head (the usual case), its links in an article. */
function post(n: number, links: readonly string[]): string {
  const anchors = links.map((href) => `<a href="${href}">${href}</a>`).join(" ");
  return `<!doctype html><html><head><title>Post ${n}</title></head><body><nav><a href="https://nav.example/">nav</a></nav><article><p>${anchors}</p></article></body></html>`;
}

function site(count: number): Map<string, string> {
  const pages = new Map<string, string>();
  for (let n = 0; n < count; n++) {
    pages.set(
      `https://blog.example/posts/${n}/`,
      post(n, [
        `https://t${n % 7}.example/${n}`,
        `https://x.example/?n=${n}`,
        "https://nope.example/",
      ]),
    );
  }
  // One page declares its own endpoint: processPage warns, so it is never cached.
  pages.set(
    "https://blog.example/declared/",
    `<html><head><link rel="pingback" href="https://other.example/xmlrpc"></head><body><main><a href="https://d.example/">d</a></main></body></html>`,
  );
  return pages;
}

interface Built {
  summary: FinishSummary;
  manifest: Manifest;
  manifestText: string;
  outbox: Outbox;
  /** What the worker answered for each page (insertion, pingback, warnings). */
  answers: Map<string, unknown>;
}

/** One build as the page worker runs it, in this thread: every page sent to it. */
async function workerBuild(
  stateDir: string,
  pages: ReadonlyMap<string, string>,
  {
    pageCache = true,
    raw = RAW,
    outputFingerprints = true,
  }: { pageCache?: boolean; raw?: Record<string, unknown>; outputFingerprints?: boolean } = {},
): Promise<Built> {
  const options = resolveOptions(raw, "@static-pingback/test");
  const build = new WorkerBuild({ stateDir, pageCache, outputFingerprints }, options, raw);
  const loaded = await build.loading;
  if (loaded instanceof Error) throw loaded;
  const answers = new Map<string, unknown>();
  const jobs: number[] = [];
  let id = 0;
  for (const [url, html] of pages) {
    const job: PageJob = { id: id++, url, html };
    const answer = build.answer(job);
    assert.ok("result" in answer, `${url}: ${JSON.stringify(answer)}`);
    answers.set(url, answer.result);
    jobs.push(job.id);
  }
  const summary = await build.finish({ pages: jobs });
  const manifestText = await readFile(join(stateDir, "manifest.json"), "utf8");
  return {
    summary,
    manifest: JSON.parse(manifestText),
    manifestText,
    outbox: JSON.parse(await readFile(join(stateDir, "outbox.json"), "utf8")),
    answers,
  };
}

/** The same build done the plain way: processPage on every page, then finishBuild. */
async function referenceBuild(stateDir: string, pages: ReadonlyMap<string, string>) {
  const processed = [...pages].map(([url, html]) => {
    const { contentHash, ...result } = processPage(html, url, OPTIONS);
    return {
      url,
      ...result,
      ...(contentHash === null ? {} : { contentHash }),
      outsideArticle: linksOutsideArticle(result, OPTIONS),
    };
  });
  const finished = await finishBuild({ pages: processed, options: { ...OPTIONS, stateDir } });
  const answers = new Map(
    processed.map(({ url, changed, insertion, pingback, outsideArticle, warnings }) => [
      url,
      { changed, insertion, pingback, outsideArticle, warnings },
    ]),
  );
  const manifestText = await readFile(join(stateDir, "manifest.json"), "utf8");
  return { ...finished, answers, manifestText };
}

const undated = (text: string) => text.replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""');
const pagesOf = (outbox: Outbox) => ({ ...outbox, generatedAt: "", previousGeneratedAt: "" });

async function withDirs(run: (cached: string, plain: string) => Promise<void>): Promise<void> {
  const cached = await mkdtemp(join(tmpdir(), "sp-page-cache-"));
  const plain = await mkdtemp(join(tmpdir(), "sp-page-cache-ref-"));
  try {
    await run(cached, plain);
  } finally {
    await rm(cached, { recursive: true, force: true });
    await rm(plain, { recursive: true, force: true });
  }
}

/** Builds `pages` with the cache and the plain way; both must agree in everything. */
async function sameAsReference(cached: string, plain: string, pages: ReadonlyMap<string, string>) {
  const built = await workerBuild(cached, pages);
  const reference = await referenceBuild(plain, pages);
  assert.equal(undated(built.manifestText), undated(reference.manifestText));
  assert.deepEqual(pagesOf(built.outbox), pagesOf(reference.outbox));
  assert.deepEqual(built.answers, reference.answers);
  assert.deepEqual(built.summary.summary, reference.summary);
  return built;
}

describe("page cache", () => {
  it("takes unchanged pages from the cache, and gives exactly the plain build's result", async () => {
    await withDirs(async (cached, plain) => {
      const pages = site(30);
      const first = await sameAsReference(cached, plain, pages);
      assert.equal(first.summary.unchanged, 0);
      const cache = JSON.parse(await readFile(join(cached, PAGE_CACHE_FILE), "utf8")) as PageCache;
      assert.equal(Object.keys(cache.pages).length, 30, "every page but the one with a warning");
      assert.equal(cache.pages["https://blog.example/declared/"], undefined);
      // Each entry knows the page as written, so an adapter checking its files hashes it once.
      for (const [url, html] of pages) {
        const entry = cache.pages[url];
        if (entry)
          assert.equal(entry.output, pageFingerprint(processPage(html, url, OPTIONS).html));
      }

      const second = await sameAsReference(cached, plain, pages);
      assert.equal(second.summary.unchanged, 30);
      // The one with a warning was processed again, so its warning is told again.
      assert.equal(second.summary.warnings.length, 0);
      assert.deepEqual(
        (second.answers.get("https://blog.example/declared/") as { warnings: string[] }).warnings
          .length,
        1,
      );

      // One page edited, one added, one removed: only the new and edited are processed.
      const edited = new Map(pages);
      edited.set("https://blog.example/posts/3/", post(3, ["https://new.example/a"]));
      edited.set("https://blog.example/posts/new/", post(99, ["https://new.example/b"]));
      edited.delete("https://blog.example/posts/5/");
      const third = await sameAsReference(cached, plain, edited);
      assert.equal(third.summary.unchanged, 28);
      assert.deepEqual(
        third.outbox.added.map((pair) => `${pair.source} ${pair.target}`),
        [
          "https://blog.example/posts/3/ https://new.example/a",
          "https://blog.example/posts/new/ https://new.example/b",
        ],
      );
      assert.deepEqual(third.outbox.pagesRemoved, ["https://blog.example/posts/5/"]);

      // And the cache written after that build holds again.
      const fourth = await sameAsReference(cached, plain, edited);
      assert.equal(fourth.summary.unchanged, 30);
    });
  });

  it("keeps new entries in memory when no temporary file can be made, and loses nothing", async () => {
    await withDirs(async (cached, plain) => {
      const pages = site(6);
      const saved = process.env.TMPDIR;
      // os.tmpdir() reads TMPDIR on each call: a directory that does not exist.
      process.env.TMPDIR = join(plain, "missing", "tmp");
      let built: Built;
      try {
        built = await workerBuild(cached, pages);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      const reference = await referenceBuild(plain, pages);
      assert.equal(undated(built.manifestText), undated(reference.manifestText));
      assert.deepEqual(built.answers, reference.answers);
    });
  });

  it("keeps the output fingerprint only for an adapter that recognises its written pages", async () => {
    await withDirs(async (cached) => {
      const pages = site(4);
      await workerBuild(cached, pages, { outputFingerprints: false });
      const cache = JSON.parse(await readFile(join(cached, PAGE_CACHE_FILE), "utf8")) as PageCache;
      const entries = Object.values(cache.pages);
      assert.equal(entries.length, 4);
      for (const entry of entries) assert.equal(entry.output, undefined);
      // The next build still takes them from the cache.
      const again = await workerBuild(cached, pages, { outputFingerprints: false });
      assert.equal(again.summary.unchanged, 4);
    });
  });

  it("tells the main thread each unchanged page's insertion and output fingerprint", async () => {
    await withDirs(async (cached) => {
      const pages = site(4);
      await workerBuild(cached, pages);
      const build = new WorkerBuild(
        { stateDir: cached, pageCache: true, outputFingerprints: true },
        OPTIONS,
        RAW,
      );
      await build.loading;
      const notes = new Map(build.unchangedNotes().map((note) => [note.url, note]));
      assert.equal(notes.size, 4, "all but the page with a warning");
      for (const [url, note] of notes) {
        const html = pages.get(url) as string;
        const processed = processPage(html, url, OPTIONS);
        assert.deepEqual(note, {
          url,
          hash: pageFingerprint(html),
          insertion: processed.insertion,
          output: pageFingerprint(processed.html),
          pingback: true,
        });
      }
    });
  });

  it("holds nothing once the options or the manifest change", async () => {
    await withDirs(async (cached, plain) => {
      const pages = site(10);
      await sameAsReference(cached, plain, pages);
      // Another endpoint: every page gets another element, so nothing is taken.
      const other = { ...RAW, endpoint: "https://blog.example/other-xmlrpc" };
      const moved = await workerBuild(cached, pages, { raw: other });
      assert.equal(moved.summary.unchanged, 0);
      assert.match(
        JSON.stringify(moved.answers.get("https://blog.example/posts/1/")),
        /other-xmlrpc/,
      );
      // A regular expression is part of the key by its source.
      const regex = { ...other, excludeLinks: [/nope\.example|x\.example/] };
      const narrowed = await workerBuild(cached, pages, { raw: regex });
      assert.equal(narrowed.summary.unchanged, 0);
      assert.doesNotMatch(narrowed.manifestText, /x\.example/);
      assert.equal((await workerBuild(cached, pages, { raw: regex })).summary.unchanged, 10);

      // A manifest edited by hand (same length, one link changed) is no longer the one
      // the cache went with: every page is processed, and the edit is diffed against.
      const file = join(cached, "manifest.json");
      const text = await readFile(file, "utf8");
      await writeFile(file, text.replace("https://t1.example/1", "https://t1.example/9"));
      const afterEdit = await workerBuild(cached, pages, { raw: regex });
      assert.equal(afterEdit.summary.unchanged, 0);
      assert.deepEqual(
        afterEdit.outbox.added.map((pair) => pair.target),
        ["https://t1.example/1"],
      );
    });
  });

  it("ignores a damaged cache with a warning, and writes it anew", async () => {
    await withDirs(async (cached, plain) => {
      const pages = site(5);
      await sameAsReference(cached, plain, pages);
      const file = join(cached, PAGE_CACHE_FILE);
      const good = JSON.parse(await readFile(file, "utf8")) as PageCache;

      await writeFile(file, "{ not json");
      const broken = await sameAsReference(cached, plain, pages);
      assert.equal(broken.summary.unchanged, 0);
      assert.equal(broken.summary.warnings.length, 1);
      assert.match(
        broken.summary.warnings[0] as string,
        /page-cache\.json could not be read .*ignored/,
      );
      assert.equal((await workerBuild(cached, pages)).summary.unchanged, 5, "written anew");

      // An entry for a page the manifest does not hold is not taken.
      const now = JSON.parse(await readFile(file, "utf8")) as PageCache;
      const [first] = Object.keys(now.pages) as [string];
      const moved = structuredClone(now);
      moved.pages[`${first}-elsewhere`] = moved.pages[first] as PageCache["pages"][string];
      delete moved.pages[first];
      await writeFile(file, JSON.stringify(moved));
      const misplaced = await sameAsReference(cached, plain, pages);
      assert.equal(misplaced.summary.unchanged, 4);
      assert.ok(good.pages[first], "the same pages as at first");
    });
  });

  it("is not used or written when turned off", async () => {
    await withDirs(async (cached) => {
      const pages = site(3);
      await workerBuild(cached, pages, { pageCache: false });
      assert.deepEqual(await readPageCache(cached), { cache: undefined });
      const again = await workerBuild(cached, pages, { pageCache: false });
      assert.equal(again.summary.unchanged, 0);
    });
  });
});

describe("page cache file", () => {
  it("names what is wrong with a malformed cache", () => {
    const entry = { hash: "h", insertion: null, output: "o" };
    const valid = {
      version: PAGE_CACHE_VERSION,
      key: "k",
      manifest: "m",
      pages: { "https://a.example/": entry },
    };
    assert.deepEqual(parsePageCache(valid), valid);
    const cases: Array<[unknown, RegExp]> = [
      [[], /not a JSON object/],
      [{ ...valid, version: "2" }, /"version" number/],
      [{ ...valid, key: 1 }, /"key" or "manifest"/],
      [{ ...valid, pages: [] }, /"pages" is not an object/],
      [{ ...valid, pages: { u: { ...entry, output: 1 } } }, /malformed entry for u/],
      [
        { ...valid, pages: { u: { ...entry, insertion: { offset: -1, text: "" } } } },
        /entry for u/,
      ],
      [{ ...valid, pages: { u: { ...entry, hash: 5 } } }, /entry for u/],
    ];
    for (const [value, problem] of cases) assert.match(parsePageCache(value) as string, problem);
    // Only an adapter that recognises its written pages keeps `output`.
    const { output: _output, ...withoutOutput } = entry;
    const noOutput = { ...valid, pages: { "https://a.example/": withoutOutput } };
    assert.deepEqual(parsePageCache(noOutput), noOutput);
  });

  it("takes a cache of another format as no cache, without a warning", async () => {
    assert.equal(parsePageCache({ version: 1, key: "k", manifest: "m", pages: {} }), undefined);
    const dir = await mkdtemp(join(tmpdir(), "sp-page-cache-old-"));
    try {
      await writeFile(join(dir, PAGE_CACHE_FILE), JSON.stringify({ version: 1, pages: 5 }));
      assert.deepEqual(await readPageCache(dir), { cache: undefined });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keys entries by the options, regular expressions included, and by the code", () => {
    const key = pageCacheKey(RAW, "code");
    assert.equal(pageCacheKey({ ...RAW }, "code"), key);
    assert.notEqual(pageCacheKey(RAW, "other code"), key);
    assert.notEqual(pageCacheKey({ ...RAW, excludeLinks: [/nope\.example/i] }, "code"), key);
    assert.notEqual(pageCacheKey({ ...RAW, contentSelector: "main" }, "code"), key);
  });
});
