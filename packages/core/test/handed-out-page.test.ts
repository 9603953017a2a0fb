import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type HandedOutPage, type SettleInput, settlePage } from "../src/build/handed-out-page.ts";
import {
  applyInsertion,
  headLinkElements,
  predictInsertion,
  processPage,
  resolveOptions,
} from "../src/index.ts";

const options = resolveOptions(
  { site: "https://blog.example", receiver: "https://m.example/" },
  "t",
);
const linkElements = headLinkElements(options);
const URL_ = "https://blog.example/posts/a/";
const HTML = `<!doctype html><html><head><title>A</title></head><body><article><p><a href="https://t.example/">t</a></p></article></body></html>`;

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sp-handed-out-"));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A page handed out with the predicted insertion and written, as an adapter does it. */
async function handedOut(html: string, answer: HandedOutPage["answer"], name: string) {
  const sent = predictInsertion(html, new URL(URL_), options, linkElements) ?? null;
  const file = join(dir, `${name}.html`);
  const written = applyInsertion(html, sent);
  await writeFile(file, written);
  const input: SettleInput = { url: URL_, file, written, options, linkElements };
  return { page: { url: URL_, sent, answer } as HandedOutPage, input, file };
}

function inlineAnswer(html: string): HandedOutPage["answer"] {
  const { html: _html, scope: _scope, ...result } = processPage(html, URL_, options, linkElements);
  return { kind: "inline", result: { ...result, outsideArticle: false } };
}

describe("settlePage: a page handed out before its whole-page answer", () => {
  it("keeps the answer when it confirms the insertion, with its links and fingerprint", async () => {
    const { page, input, file } = await handedOut(HTML, inlineAnswer(HTML), "confirmed");
    const settled = await settlePage(page, input);
    assert.equal(settled.kind, "answered");
    assert.equal(settled.page.kind, "links");
    if (settled.page.kind !== "links") return;
    assert.deepEqual(settled.page.links, ["https://t.example/"]);
    assert.match(settled.page.contentHash ?? "", /=$/);
    assert.equal(await readFile(file, "utf8"), input.written, "the file is left alone");
  });

  it("keeps the worker's job id when the worker holds the links", async () => {
    const answer: HandedOutPage["answer"] = {
      kind: "offloaded",
      job: 7,
      result: Promise.resolve({ ...inlineAnswerResult(HTML), links: undefined }),
    };
    const { page, input } = await handedOut(HTML, answer, "kept");
    const settled = await settlePage(page, input);
    assert.equal(settled.kind, "answered");
    if (settled.kind !== "answered") return;
    assert.deepEqual(settled.page, {
      kind: "kept",
      url: URL_,
      pingback: true,
      job: 7,
      file: input.file,
    });
  });

  it("redoes a page whose body proved the guess wrong, and rewrites its file without our element", async () => {
    // The head looks plain; the body has its own pingback link: only webmention's goes in.
    const html = HTML.replace(
      "<article>",
      '<article><link rel="pingback" href="https://own.example/rpc">',
    );
    const { page, input, file } = await handedOut(html, inlineAnswer(html), "wrong-guess");
    const settled = await settlePage(page, input);
    assert.equal(settled.kind, "redone");
    const rewritten = await readFile(file, "utf8");
    assert.equal(rewritten, processPage(html, URL_, options, linkElements).html);
    assert.equal(rewritten.split('rel="pingback"').length - 1, 1, "only the page's own");
  });

  it("redoes a page the worker failed, from what was written", async () => {
    const answer: HandedOutPage["answer"] = {
      kind: "offloaded",
      job: 1,
      result: Promise.resolve(new Error("worker gone")),
    };
    const { page, input, file } = await handedOut(HTML, answer, "failed");
    const settled = await settlePage(page, input);
    assert.equal(settled.kind, "redone");
    if (settled.kind !== "redone" || settled.page.kind !== "links") return;
    assert.deepEqual(settled.page.links, ["https://t.example/"]);
    assert.equal(await readFile(file, "utf8"), processPage(HTML, URL_, options, linkElements).html);
  });

  it("redoes a page written to another URL than the one processed", async () => {
    const { page, input } = await handedOut(HTML, inlineAnswer(HTML), "moved");
    const settled = await settlePage(page, { ...input, url: "https://blog.example/posts/b/" });
    assert.equal(settled.kind, "redone");
    if (settled.kind !== "redone" || settled.page.kind !== "links") return;
    assert.equal(settled.page.url, "https://blog.example/posts/b/");
  });

  it("skips a page that was never written and has no answer", async () => {
    const answer: HandedOutPage["answer"] = {
      kind: "offloaded",
      job: 2,
      result: Promise.resolve(new Error("page failed")),
    };
    const { page, input } = await handedOut(HTML, answer, "dry");
    const settled = await settlePage(page, { ...input, written: undefined });
    assert.equal(settled.kind, "skipped");
    if (settled.kind === "skipped") assert.match(settled.error.message, /page failed/);
  });

  it("takes a cached page as the cache says", async () => {
    const { page, input } = await handedOut(HTML, { kind: "cached", pingback: true }, "cached");
    const settled = await settlePage(page, input);
    assert.deepEqual(settled, {
      kind: "answered",
      page: { kind: "cached", url: URL_, pingback: true, file: input.file },
      warnings: [],
    });
  });
});

function inlineAnswerResult(html: string) {
  const answer = inlineAnswer(html);
  if (answer.kind !== "inline") throw new Error("unreachable");
  return answer.result;
}
