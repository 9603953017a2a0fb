import assert from "node:assert/strict";
import { test } from "node:test";
import { checkSource } from "../src/verify/check-source.ts";
import { SCAN_LIMITS, scanPage } from "../src/verify/scan-page.ts";

const target = "https://site.example/posts/hello/";
const targets = new Set([target]);
const enc = (s: string) => new TextEncoder().encode(s);
const html = (body: string, head = "<title>T</title>") =>
  `<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`;
const check = (
  body: string,
  contentType: string | null = "text/html; charset=utf-8",
  url = "https://blog.example/p/1",
) => checkSource({ url, contentType, body: enc(body) }, targets);

test("a real link is found, relative to <base> and fragment-insensitive", () => {
  assert.equal(check(html(`<p>See <a href="${target}">this</a></p>`)).ok, true);
  assert.equal(check(html(`<a href="${target}#c-1">x</a>`)).ok, true);
  assert.equal(
    check(html(`<a href="../posts/hello/">x</a>`, '<base href="https://site.example/x/">')).ok,
    true,
  );
  assert.equal(check(html(`<map><area href="${target}"></map>`)).ok, true);
  assert.equal(check(html(`<a href=" ${target} ">x</a>`)).ok, true);
});

test("hidden links and non-HTML answer 17", () => {
  for (const body of [
    html(`<!-- <a href="${target}">x</a> -->`),
    html(`<script>document.write('<a href="${target}">x</a>')</script>`),
    html(`<style>a[href="${target}"]{}</style>`),
    html(`<template><a href="${target}">x</a></template>`),
    html(`<textarea><a href="${target}">x</a></textarea>`),
    html(`<img src="${target}" alt="${target}"><link rel="x" href="${target}">`),
    html(`<a href="https://site.example/posts/hello-world/">near</a>`),
    html(`<p>${target}</p>`),
  ]) {
    assert.deepEqual(check(body), { ok: false, faultCode: 17, reason: "no-link" }, body);
  }
  assert.equal(check(`<a href="${target}">x</a>`, "text/plain").ok, false);
  assert.equal(check(`<a href="${target}">x</a>`, "application/json").ok, false);
  assert.equal(check(`<a href="${target}">x</a>`, null).ok, false);
});

test("metadata: h-entry and h-card win, fallbacks, caps", () => {
  const page = html(
    `<article class="h-entry" lang="de"><h1 class="p-name">Der Titel</h1>
     <a class="p-author h-card" href="/me"><span class="p-name">Bea</span></a>
     <time class="dt-published" datetime="2026-03-04T05:06:07Z">March</time>
     <div class="e-content"><p>Intro. I liked <a href="${target}">Hello</a> a lot.</p></div></article>`,
    "<title>Site | Der Titel</title>",
  );
  const result = check(page);
  assert.ok(result.ok);
  assert.deepEqual(result.post, {
    title: "Der Titel",
    authorName: "Bea",
    authorUrl: "https://blog.example/me",
    published: "2026-03-04T05:06:07.000Z",
    lang: "de",
    // A mention, not a reply: no excerpt (issue 16); the kind comes from microformats2.
    excerpt: null,
    property: "mention-of",
    authorPhoto: null,
  });
  const plain = check(
    html(
      `<p>${"word ".repeat(200)}<a href="${target}">x</a>${" tail".repeat(200)}</p>`,
      '<title> Plain  title </title><meta name="author" content="Cy"><link rel="author" href="javascript:alert(1)">',
    ),
  );
  assert.ok(plain.ok);
  assert.equal(plain.post.title, "Plain title");
  assert.equal(plain.post.authorName, "Cy");
  assert.equal(plain.post.authorUrl, null);
  assert.equal(plain.post.lang, "en");
  assert.ok((plain.post.excerpt?.length ?? 0) <= 280);
  assert.match(plain.post.excerpt ?? "", /x/);
  // Terminal escapes and bidi overrides never reach the store (moderate list prints titles).
  const sneaky = check(
    html(
      `<p>See \u001b[2J<a href="${target}">x</a></p>`,
      '<title>Evil\u001b]0;pwned\u0007 \u202Etitle</title><meta name="author" content="A\u001b[31mB">',
    ),
  );
  assert.ok(sneaky.ok);
  // Whole escape sequences go, not just the ESC (core/text).
  assert.equal(sneaky.post.title, "Evil title");
  assert.equal(sneaky.post.authorName, "AB");
  assert.ok(!(sneaky.post.excerpt ?? "").includes("\u001b"));
});

test("charsets: header, meta, UTF-16 BOM, and a bogus label", () => {
  const latin1 = Uint8Array.from([
    ...enc(`<html><head><title>Caf`),
    0xe9,
    ...enc(`</title></head><body><a href="${target}">x</a></body></html>`),
  ]);
  const r = checkSource(
    { url: "https://b.example/", contentType: "text/html; charset=iso-8859-1", body: latin1 },
    targets,
  );
  assert.ok(r.ok);
  assert.equal(r.post.title, "Café");
  const meta = checkSource(
    {
      url: "https://b.example/",
      contentType: "text/html",
      body: Uint8Array.from([...enc('<meta charset="windows-1252">'), ...latin1]),
    },
    targets,
  );
  assert.ok(meta.ok && meta.post.title === "Café");
  const utf16 = Buffer.from(`\ufeff${html(`<a href="${target}">x</a>`)}`, "utf16le");
  assert.equal(
    checkSource({ url: "https://b.example/", contentType: "text/html", body: utf16 }, targets).ok,
    true,
  );
  assert.equal(
    check(html(`<a href="${target}">x</a>`), "text/html; charset=x-evil-\u0000").ok,
    true,
  );
});

test("bounded work: nesting and element bombs stop at the caps and are refused as too complex", () => {
  const link = `<a href="${target}">x</a>`;
  const nested = `<title>bomb</title>${"<div>".repeat(800_000)}${link}`;
  const deep = scanPage(nested, "https://b.example/", targets);
  assert.equal(deep.stopped, "depth");
  assert.equal(deep.elements, SCAN_LIMITS.depth + 2); // <title>, 256 open <div>, the one refused
  assert.deepEqual(check(nested), { ok: false, faultCode: 17, reason: "too-complex" });

  // `<a>` closes an open `<a>`, so this one is flat: the element cap stops it.
  const flat = `${"<a>".repeat(40_000)}${link}`;
  const wide = scanPage(flat, "https://b.example/", targets);
  assert.equal(wide.stopped, "elements");
  assert.equal(wide.elements, SCAN_LIMITS.elements + 1);
  assert.deepEqual(check(flat), { ok: false, faultCode: 17, reason: "too-complex" });
});

test("bounded work: only the first 150 KB are searched; a link before a bomb still counts", () => {
  const filler = `<p>${"word ".repeat(SCAN_LIMITS.bytes / 5)}</p>`;
  assert.deepEqual(check(html(`${filler}<a href="${target}">late</a>`)), {
    ok: false,
    faultCode: 17,
    reason: "no-link",
  });
  const early = check(html(`<p>Read <a href="${target}">this</a>.</p>${"<div>".repeat(100_000)}`));
  assert.ok(early.ok);
  assert.equal(early.post.title, "T");
  assert.equal(early.post.excerpt, "Read this.");
});
