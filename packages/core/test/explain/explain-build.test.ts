import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BUILD_RECORD_FILE,
  explainBuild,
  pageFileCandidates,
  readBuildRecord,
  restoreOptions,
  writeBuildRecord,
} from "../../src/explain/index.ts";
import { finishBuild, processPage, resolveOptions, writeJsonFile } from "../../src/index.ts";

const A = `<!doctype html><html><head><title>a</title></head><body>
<nav><a href="/">home</a></nav>
<article><a href="https://other.example/post">post</a> <a href="https://new.example/">new</a>
<a href="https://tracker.example/t">tracked</a> <a href="https://fn.example/">by a function</a></article>
</body></html>`;
const B = `<!doctype html><html><head></head><body><article><a href="https://slow.example/">x</a></article></body></html>`;

function skipFn(url: URL): boolean {
  return url.hostname === "fn.example";
}

describe("explainBuild", () => {
  let dir: string;
  let stateDir: string;
  let out: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-explain-"));
    stateDir = join(dir, ".pingback");
    out = join(dir, "_site");
    const options = resolveOptions(
      {
        site: "https://example.com/blog/",
        stateDir,
        excludeLinks: [/tracker\.example/, skipFn],
      },
      "test",
    );
    const pages = [
      ["https://example.com/blog/posts/a/", "posts/a/index.html", A],
      ["https://example.com/blog/posts/b", "posts/b.html", B],
    ] as const;
    const built = [];
    for (const [url, file, html] of pages) {
      const result = processPage(html, url, options);
      await mkdir(join(out, file, ".."), { recursive: true });
      await writeFile(join(out, file), result.html);
      built.push({ url, pingback: result.pingback, links: result.links });
    }
    await finishBuild({ pages: built, options, publishDir: out });
    await writeBuildRecord(options, out);
    const at = "2026-12-01T10:00:00.000Z";
    await writeJsonFile(join(stateDir, "state.json"), "state", {
      version: 1,
      pairs: [
        {
          source: "https://example.com/blog/posts/a/",
          target: "https://gone.example/",
          status: "sent",
          attempts: 1,
          firstSeenAt: at,
        },
        {
          source: "https://example.com/blog/posts/a/",
          target: "https://other.example/post",
          status: "sent",
          endpoint: "https://other.example/xmlrpc",
          attempts: 1,
          firstSeenAt: at,
          lastAttemptAt: at,
        },
        {
          source: "https://example.com/blog/posts/b",
          target: "https://slow.example/",
          status: "failed",
          httpStatus: 503,
          message: "HTTP 503 from the endpoint",
          attempts: 2,
          firstSeenAt: at,
          nextAttemptAt: "2099-01-01T00:00:00.000Z",
        },
      ],
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("records the options and the output directory relative to the state directory", async () => {
    const record = await readBuildRecord(stateDir);
    assert.ok(record);
    assert.equal(record.outputDir, join("..", "_site"));
    assert.deepEqual(record.excludeLinks, [
      { regexp: "tracker\\.example", flags: "" },
      { function: "skipFn" },
    ]);
    const restored = restoreOptions(record, stateDir);
    assert.equal(restored.outputDir, out);
    assert.deepEqual(restored.unknownExcludes, ["skipFn"]);
    assert.ok(JSON.parse(await readFile(join(stateDir, BUILD_RECORD_FILE), "utf8")).version === 1);
  });

  it("explains one page: its links with reasons, its pairs with their next step", async () => {
    const explanation = await explainBuild({ stateDir, page: "/blog/posts/a/" });
    assert.equal(explanation.site, "https://example.com/blog/");
    assert.equal(explanation.pages.length, 1);
    const [page] = explanation.pages;
    assert.ok(page);
    assert.equal(page.url, "https://example.com/blog/posts/a/");
    assert.equal(page.file, join(out, "posts/a/index.html"));
    assert.deepEqual(
      page.links?.map((link) => [link.href, link.reason, link.detail ?? null]),
      [
        ["/", "outside-content", "not inside article"],
        ["https://other.example/post", "in-manifest", null],
        ["https://new.example/", "in-manifest", null],
        ["https://tracker.example/t", "excluded-by", "/tracker\\.example/"],
        ["https://fn.example/", "excluded-by", "a function (skipFn)"],
      ],
    );
    assert.deepEqual(
      page.pairs.map((pair) => [pair.target, pair.step]),
      [
        // Sent once by Pingback (no protocol in this version 1 entry): nothing to take back.
        ["https://gone.example/", { action: "record", why: "removed" }],
        ["https://new.example/", { action: "send", why: "new" }],
        ["https://other.example/post", { action: "none", why: "settled" }],
      ],
    );
    assert.deepEqual(page.notes, []);
  });

  it("explains every page, a retry not yet due among them", async () => {
    const explanation = await explainBuild({ stateDir });
    assert.deepEqual(
      explanation.pages.map((page) => page.url),
      ["https://example.com/blog/posts/a/", "https://example.com/blog/posts/b"],
    );
    const b = explanation.pages[1];
    assert.equal(b?.file, join(out, "posts/b.html"));
    assert.deepEqual(b?.pairs[0]?.step, {
      action: "wait",
      why: "waiting",
      nextAttemptAt: "2099-01-01T00:00:00.000Z",
    });
    assert.match(explanation.notes.join("\n"), /skipFn/);
  });

  it("says where the built file and the manifest disagree", async () => {
    const file = join(out, "posts/a/index.html");
    const before = await readFile(file, "utf8");
    await writeFile(file, before.replace("https://new.example/", "https://newer.example/"));
    try {
      const [page] = (await explainBuild({ stateDir, page: "https://example.com/blog/posts/a/" }))
        .pages;
      assert.deepEqual(page?.notes, [
        "https://new.example/ is in the manifest but not in the built file: rebuild",
      ]);
      // With a predicate in excludeLinks, a link the manifest lacks is put down to it.
      const newer = page?.links?.find((link) => link.href === "https://newer.example/");
      assert.deepEqual([newer?.reason, newer?.detail], ["excluded-by", "a function (skipFn)"]);
    } finally {
      await writeFile(file, before);
    }
  });

  it("without a build record, explains pairs only and says why", async () => {
    const bare = join(dir, "bare");
    await mkdir(bare);
    await writeFile(join(bare, "manifest.json"), await readFile(join(stateDir, "manifest.json")));
    const explanation = await explainBuild({ stateDir: bare });
    assert.match(explanation.notes[0] ?? "", /no build-record\.json/);
    assert.equal(explanation.pages[0]?.links, undefined);
    assert.equal(explanation.pages[0]?.pairs.length, 2);
    // No state and no outbox: a first run, so the pairs are baseline.
    assert.deepEqual(explanation.pages[0]?.pairs[0]?.step, { action: "record", why: "baseline" });
  });
});

describe("pageFileCandidates", () => {
  const site = new URL("https://example.com/blog/");
  it("maps directory, .html and extensionless URLs, with and without the base path", () => {
    assert.deepEqual(pageFileCandidates(new URL("https://example.com/blog/a/"), site, "/out"), [
      "/out/a/index.html",
      "/out/blog/a/index.html",
    ]);
    assert.deepEqual(pageFileCandidates(new URL("https://example.com/x"), site, "/out"), [
      "/out/x",
      "/out/x.html",
      "/out/x/index.html",
    ]);
  });
  it("never leaves the output directory", () => {
    const url = new URL("https://example.com/a/..%2F..%2F..%2Fetc/passwd");
    assert.deepEqual(pageFileCandidates(url, site, "/out"), []);
    // Dot segments the URL parser folds stay inside.
    const folded = new URL("https://example.com/%2e%2e/%2e%2e/etc/passwd");
    assert.ok(pageFileCandidates(folded, site, "/out").every((file) => file.startsWith("/out/")));
  });
});
