import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  applyInsertion,
  predictInsertion,
  processPage,
  resolveOptions,
} from "@static-pingback/core";
import { PageWorkerFailed } from "@static-pingback/core/offload";
import { type OffloadedPage, settlePage } from "../src/offloaded-pages.ts";

const options = resolveOptions(
  { site: "https://blog.example", endpoint: "https://blog.example/xmlrpc" },
  "test",
);
const URL_OF_PAGE = "https://blog.example/posts/a/";
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>A</title></head><body><main><a href="https://t.example/x">t</a></main></body></html>`;

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** The page as the transform wrote it (with the predicted insertion), and its record. */
async function written(result: OffloadedPage["result"]) {
  const dir = await mkdtemp(join(tmpdir(), "sp-settle-"));
  dirs.push(dir);
  const sent = predictInsertion(PAGE, new URL(URL_OF_PAGE), options) ?? null;
  const file = join(dir, "index.html");
  const text = applyInsertion(PAGE, sent);
  await writeFile(file, text);
  const page: OffloadedPage = {
    url: URL_OF_PAGE,
    inputPath: "a.md",
    outputPath: file,
    sent,
    job: 7,
    result,
  };
  return { page, file, text };
}

describe("settlePage: the worker's answer against the page the transform returned", () => {
  it("keeps a confirmed answer and touches no file", async () => {
    const { html: _html, scope: _scope, ...answer } = processPage(PAGE, URL_OF_PAGE, options);
    const { page, file, text } = await written(
      Promise.resolve({ ...answer, links: undefined, outsideArticle: false }),
    );
    await writeFile(file, "not read"); // a confirmed page is not read or rewritten
    const settled = await settlePage(page, options, text);
    assert.equal(settled.kind, "answered");
    assert.deepEqual(settled.kind === "answered" && settled.page, {
      url: URL_OF_PAGE,
      pingback: true,
      job: 7,
      file,
    });
    assert.equal(await readFile(file, "utf8"), "not read");
  });

  it("redoes a page the worker lost, from what was written", async () => {
    const lost = new PageWorkerFailed(new Error("worker exited"));
    const { page, file, text } = await written(Promise.resolve(lost));
    const settled = await settlePage(page, options, text);
    assert.equal(settled.kind, "redone");
    assert.deepEqual(settled.kind === "redone" && settled.page, {
      url: URL_OF_PAGE,
      pingback: true,
      links: ["https://t.example/x"],
      outsideArticle: true, // the page has no article: its links are from <main>
    });
    assert.equal(await readFile(file, "utf8"), text, "the guess was right: file unchanged");
  });

  it("takes a wrong insertion out of the file", async () => {
    const wrong = {
      changed: false,
      insertion: null,
      pingback: true,
      links: [],
      outsideArticle: false,
      warnings: [],
    };
    const { page, file, text } = await written(Promise.resolve(wrong));
    // The page declares its endpoint in the body, so the head-only guess was wrong.
    const withDeclared = (html: string) =>
      html.replace("<main>", '<main><link rel="pingback" href="https://blog.example/xmlrpc">');
    const declared = withDeclared(text);
    await writeFile(file, declared);
    const settled = await settlePage(page, options, declared);
    assert.equal(settled.kind, "redone");
    const now = await readFile(file, "utf8");
    assert.equal(now.match(/rel="pingback"/g)?.length, 1, now);
    assert.equal(
      now,
      processPage(
        PAGE.replace("<main>", '<main><link rel="pingback" href="https://blog.example/xmlrpc">'),
        URL_OF_PAGE,
        options,
      ).html,
    );
  });

  it("skips a page with no answer that was never written (a dry run)", async () => {
    const { page } = await written(Promise.resolve(new Error("boom")));
    const settled = await settlePage(page, options, undefined);
    assert.equal(settled.kind, "skipped");
  });
});
