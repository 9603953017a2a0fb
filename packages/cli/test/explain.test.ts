import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { finishBuild, processPage, resolveOptions, writeJsonFile } from "@static-pingback/core";
import { writeBuildRecord } from "@static-pingback/core/explain";
import { runCliHere } from "./run-cli.ts";

const POST = `<!doctype html><html><head><title>p</title></head><body>
<header><a href="/">home</a></header>
<main><a href="https://peer.example/a">a peer</a> <a href="https://peer.example/\u001b[31mred">escape</a>
<a href="mailto:x@example.com">mail</a></main></body></html>`;

describe("static-pingback explain", () => {
  let dir: string;
  let stateDir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-cli-explain-"));
    stateDir = join(dir, "state");
    const out = join(dir, "out");
    const options = resolveOptions({ site: "https://example.com/", stateDir }, "test");
    const url = "https://example.com/posts/p/";
    const result = processPage(POST, url, options);
    await mkdir(join(out, "posts/p"), { recursive: true });
    await writeFile(join(out, "posts/p/index.html"), result.html);
    await finishBuild({
      pages: [{ url, pingback: true, links: result.links }],
      options,
      publishDir: out,
    });
    await writeBuildRecord(options, out);
    await writeJsonFile(join(stateDir, "state.json"), "state", {
      version: 1,
      pairs: [
        {
          source: url,
          target: "https://peer.example/a",
          status: "rejected",
          faultCode: 17,
          message: "source does not link\u001b[2J",
          attempts: 1,
          firstSeenAt: "2026-12-01T00:00:00.000Z",
        },
      ],
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("prints each link with its reason and each pair with its next step, cleaned", async () => {
    const result = await runCliHere(["explain", "/posts/p/", "--dir", stateDir]);
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout;
    assert.match(text, /https:\/\/example\.com\/posts\/p\/ \(taking part; content: main\)/);
    assert.match(text, /outside-content\s+https:\/\/example\.com\/ \(not inside main\)/);
    assert.match(text, /in-manifest\s+https:\/\/peer\.example\/a\n/);
    assert.match(text, /not-http\s+mailto:x@example\.com \(mailto: link\)/);
    assert.match(text, /https:\/\/peer\.example\/a {2}→ rejected \(fault 17: source does not link/);
    assert.match(text, /→ new: sent by the next run/);
    assert.ok(!text.includes("\u001b"), "terminal escapes from a page or a peer are not printed");
  });

  it("--json gives the same explanation as data", async () => {
    const result = await runCliHere(["explain", "--json", "--dir", stateDir]);
    assert.equal(result.code, 0, result.stderr);
    const explanation = JSON.parse(result.stdout);
    assert.equal(explanation.site, "https://example.com/");
    const [page] = explanation.pages;
    assert.equal(page.scope, "main");
    assert.deepEqual(
      page.links.map((link: { reason: string }) => link.reason),
      ["outside-content", "in-manifest", "in-manifest", "not-http"],
    );
    assert.deepEqual(page.pairs[1].step, { action: "none", why: "settled" });
    assert.equal(page.pairs[1].entry.status, "rejected");
  });

  it("exits 1 for a page the build does not know, and without a manifest", async () => {
    const unknown = await runCliHere(["explain", "/nowhere/", "--dir", stateDir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /not a page of the last build's manifest/);
    const none = await runCliHere(["explain", "--dir", join(dir, "empty")]);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /no manifest\.json/);
  });
});
