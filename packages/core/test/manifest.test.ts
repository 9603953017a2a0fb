import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  buildManifest,
  diffManifests,
  finishBuild,
  formatJson,
  PingbackFileError,
  readManifest,
  resolveOptions,
} from "../src/index.ts";

const options = resolveOptions(
  { site: "https://example.com", endpoint: "https://example.com/xmlrpc", stateDir: "unused" },
  "test",
);
const at = new Date("2026-01-02T03:04:05.000Z");

const pagesA = [
  {
    url: "https://example.com/b/",
    pingback: true,
    links: ["https://z.example/", "https://a.example/"],
  },
  { url: "https://example.com/a/", pingback: true, links: ["https://m.example/"] },
  { url: "https://example.com/404.html", pingback: false, links: [] },
];

describe("buildManifest", () => {
  it("sorts pages and links and is deterministic whatever the input order", () => {
    const one = formatJson(buildManifest(pagesA, options, at));
    const two = formatJson(buildManifest([...pagesA].reverse(), options, at));
    assert.equal(one, two);
    const manifest = buildManifest(pagesA, options, at);
    assert.deepEqual(Object.keys(manifest.pages), [
      "https://example.com/404.html",
      "https://example.com/a/",
      "https://example.com/b/",
    ]);
    assert.deepEqual(manifest.pages["https://example.com/b/"]?.links, [
      "https://a.example/",
      "https://z.example/",
    ]);
    assert.equal(manifest.generatedAt, "2026-01-02T03:04:05.000Z");
    assert.ok(one.endsWith("}\n"));
  });

  it("merges two outputs of one URL", () => {
    const manifest = buildManifest(
      [
        { url: "https://example.com/a/", pingback: false, links: ["https://x.example/"] },
        {
          url: "https://example.com/a/",
          pingback: true,
          links: ["https://x.example/", "https://y.example/"],
        },
      ],
      options,
      at,
    );
    assert.deepEqual(manifest.pages["https://example.com/a/"], {
      pingback: true,
      links: ["https://x.example/", "https://y.example/"],
    });
  });
});

describe("diffManifests", () => {
  it("lists added and removed pairs and pages, sorted", () => {
    const previous = buildManifest(pagesA, options, at);
    const next = buildManifest(
      [
        {
          url: "https://example.com/b/",
          pingback: true,
          links: ["https://a.example/", "https://new.example/"],
        },
        { url: "https://example.com/c/", pingback: true, links: ["https://c.example/"] },
        { url: "https://example.com/404.html", pingback: false, links: [] },
      ],
      options,
      new Date("2026-02-01T00:00:00.000Z"),
    );
    const outbox = diffManifests(previous, next);
    assert.deepEqual(outbox.added, [
      { source: "https://example.com/b/", target: "https://new.example/" },
      { source: "https://example.com/c/", target: "https://c.example/" },
    ]);
    assert.deepEqual(outbox.removed, [
      { source: "https://example.com/a/", target: "https://m.example/" },
      { source: "https://example.com/b/", target: "https://z.example/" },
    ]);
    assert.deepEqual(outbox.pagesAdded, ["https://example.com/c/"]);
    assert.deepEqual(outbox.pagesRemoved, ["https://example.com/a/"]);
    assert.equal(outbox.previousGeneratedAt, "2026-01-02T03:04:05.000Z");
  });

  it("lists no pair when there is no previous manifest: a first build is the baseline", () => {
    const outbox = diffManifests(undefined, buildManifest(pagesA, options, at));
    assert.deepEqual(outbox.added, []);
    assert.deepEqual(outbox.pagesAdded, []);
    assert.equal(outbox.previousGeneratedAt, null);
  });
});

describe("manifest files", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-manifest-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes manifest, outbox and the published copy, then diffs the next build against it", async () => {
    const stateDir = join(dir, "state");
    const publishDir = join(dir, "site");
    const first = await finishBuild({
      pages: pagesA,
      options: { ...options, stateDir },
      publishDir,
      generatedAt: at,
    });
    assert.deepEqual(first.summary, {
      pages: 3,
      enabled: 2,
      links: 3,
      added: 0,
      removed: 0,
      firstBuild: true,
      outsideArticle: 0,
    });
    const published = await readFile(join(publishDir, "pingback-manifest.json"), "utf8");
    assert.equal(published, await readFile(join(stateDir, "manifest.json"), "utf8"));

    const second = await finishBuild({
      pages: [
        {
          url: "https://example.com/a/",
          pingback: true,
          links: ["https://m.example/", "https://n.example/"],
        },
      ],
      options: { ...options, stateDir },
    });
    assert.deepEqual(second.outbox.added, [
      { source: "https://example.com/a/", target: "https://n.example/" },
    ]);
    const outbox = JSON.parse(await readFile(join(stateDir, "outbox.json"), "utf8"));
    assert.deepEqual(outbox.added, second.outbox.added);
    assert.equal(outbox.removed.length, 2);
  });

  it("reports a malformed manifest with its path and JSON Pointer and never overwrites it", async () => {
    const stateDir = join(dir, "bad");
    await finishBuild({ pages: pagesA, options: { ...options, stateDir }, generatedAt: at });
    const file = join(stateDir, "manifest.json");
    const broken = (await readFile(file, "utf8")).replace('"pingback": true', '"pingback": "yes"');
    await writeFile(file, broken);
    await assert.rejects(
      finishBuild({ pages: pagesA, options: { ...options, stateDir } }),
      (error: unknown) =>
        error instanceof PingbackFileError &&
        error.file === file &&
        error.pointer === "/pages/https:~1~1example.com~1a~1/pingback" &&
        /boolean/.test(error.message),
    );
    assert.equal(await readFile(file, "utf8"), broken);
  });

  it("reports a file that is not JSON", async () => {
    const stateDir = join(dir, "notjson");
    await finishBuild({ pages: pagesA, options: { ...options, stateDir }, generatedAt: at });
    await writeFile(join(stateDir, "manifest.json"), "{ nope");
    await assert.rejects(readManifest(stateDir), /manifest\.json: is not valid JSON/);
  });

  it("diffs against a deployed copy given by path", async () => {
    const stateDir = join(dir, "bypath");
    const deployed = join(dir, "deployed.json");
    await writeFile(deployed, formatJson(buildManifest(pagesA, options, at)));
    const result = await finishBuild({
      pages: pagesA,
      options: { ...options, stateDir },
      previousManifest: deployed,
    });
    assert.equal(result.summary.added, 0);
  });
});

describe("previous manifest from the deployed site", () => {
  it("fetches it over HTTP, treats 404 as a first deploy, and falls back on errors", async () => {
    const { createServer } = await import("node:http");
    const { loadPreviousManifest } = await import("../src/index.ts");
    const body = formatJson(buildManifest(pagesA, options, at));
    const server = createServer((request, response) => {
      if (request.url === "/pingback-manifest.json") {
        response.writeHead(200, { "content-type": "application/json" }).end(body);
      } else if (request.url === "/broken.json") {
        response.writeHead(200).end('{"version": 2}');
      } else if (request.url === "/not-json.json") {
        response.writeHead(200).end("<html>");
      } else if (request.url === "/error.json") {
        response.writeHead(500).end();
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as import("node:net").AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const stateDir = await mkdtemp(join(tmpdir(), "sp-prev-"));
    try {
      const found = await loadPreviousManifest(stateDir, `${base}/pingback-manifest.json`);
      assert.equal(found.pages?.generatedAt, "2026-01-02T03:04:05.000Z");
      const missing = await loadPreviousManifest(stateDir, `${base}/nothing.json`);
      assert.equal(missing.pages, undefined);
      assert.deepEqual(missing.warnings, []);
      const failing = await loadPreviousManifest(stateDir, `${base}/error.json`);
      assert.equal(failing.pages, undefined);
      assert.match(failing.warnings[0] ?? "", /HTTP 500.*diffing against the local one/);
      await assert.rejects(
        loadPreviousManifest(stateDir, `${base}/broken.json`),
        (error: unknown) =>
          error instanceof PingbackFileError && /broken\.json/.test(error.message),
      );
      await assert.rejects(
        loadPreviousManifest(stateDir, `${base}/not-json.json`),
        (error: unknown) =>
          error instanceof PingbackFileError &&
          /not-json\.json.*is not valid JSON/.test(error.message),
      );
    } finally {
      server.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
