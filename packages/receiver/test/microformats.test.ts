import assert from "node:assert/strict";
import { test } from "node:test";
import { checkSource } from "../src/verify/check-source.ts";
import { readMicroformats } from "../src/verify/microformats.ts";

const target = "https://site.example/posts/hello/";
const targets = new Set([target]);
const base = "https://blog.example/notes/1";

function check(body: string) {
  return checkSource(
    { url: base, contentType: "text/html; charset=utf-8", body: new TextEncoder().encode(body) },
    targets,
  );
}

test("a reply: kind, author h-card with photo, published, capped plain-text excerpt", () => {
  const long = "word ".repeat(200);
  const result = check(`<!doctype html><html lang="fr"><title>Page</title>
    <div class="h-entry">
      <a class="u-in-reply-to" href="${target}#comments">re</a>
      <div class="p-author h-card"><img class="u-photo" src="/ann.jpg" alt="">
        <a class="p-name u-url" href="https://ann.example/">Ann</a></div>
      <time class="dt-published" datetime="2026-11-27T10:00:00Z">today</time>
      <div class="e-content"><p>Good <b>point</b>.</p><script>evil()</script><p>${long}</p></div>
    </div></html>`);
  assert.ok(result.ok);
  assert.equal(result.post.property, "in-reply-to");
  assert.equal(result.post.authorName, "Ann");
  assert.equal(result.post.authorUrl, "https://ann.example/");
  assert.equal(result.post.authorPhoto, "https://blog.example/ann.jpg");
  assert.equal(result.post.published, "2026-11-27T10:00:00.000Z");
  assert.equal(result.post.lang, "fr");
  assert.ok(result.post.excerpt?.startsWith("Good point."), result.post.excerpt ?? "");
  assert.ok((result.post.excerpt?.length ?? 0) <= 280);
  // A note's implied name is its content: the page title is used instead.
  assert.equal(result.post.title, "Page");
});

test("likes, reposts and bookmarks are named by the property that holds the target", () => {
  for (const property of ["like-of", "repost-of", "bookmark-of"] as const) {
    const facts = readMicroformats(
      `<div class="h-entry"><span class="p-author h-card">Bo</span>
        <a class="u-${property}" href="${target}">x</a></div>`,
      base,
      targets,
    );
    assert.equal(facts?.property, property);
    assert.equal(facts?.authorName, "Bo");
    assert.equal(facts?.excerpt, null);
  }
  // An h-cite inside the response property counts by its url.
  const cite = readMicroformats(
    `<div class="h-entry"><div class="u-like-of h-cite"><a class="u-url" href="${target}">t</a></div></div>`,
    base,
    targets,
  );
  assert.equal(cite?.property, "like-of");
});

test("the entry that links to the target is chosen, else mention-of; no h-entry: plain facts", () => {
  const facts = readMicroformats(
    `<div class="h-entry"><p class="p-name">First</p><div class="e-content">nothing</div></div>
     <div class="h-entry"><p class="p-name">Second</p><span class="p-author h-card">Cy</span>
       <div class="e-content"><a href="/posts/other">o</a> <a href="${target}">t</a></div></div>`,
    "https://blog.example/",
    targets,
  );
  assert.equal(facts?.title, "Second");
  assert.equal(facts?.authorName, "Cy");
  assert.equal(facts?.property, "mention-of");
  assert.equal(readMicroformats(`<p><a href="${target}">t</a></p>`, base, targets), undefined);
  const plain = check(`<html lang="en"><title>T</title><meta name="author" content="Di">
    <p>See <a href="${target}">this</a>.</p></html>`);
  assert.ok(plain.ok);
  assert.equal(plain.post.property, "mention-of");
  assert.equal(plain.post.authorName, "Di");
  assert.equal(plain.post.excerpt, "See this.");
});

test("hostile values: javascript: photo dropped, control and bidi characters stripped", () => {
  const facts = readMicroformats(
    `<div class="h-entry"><a class="u-in-reply-to" href="${target}">r</a>
      <div class="p-author h-card"><span class="p-name">Ev\u202Eil\u0007</span>
        <img class="u-photo" src="javascript:alert(1)"></div>
      <div class="e-content">hi</div></div>`,
    base,
    targets,
  );
  assert.equal(facts?.authorName, "Evil");
  assert.equal(facts?.authorPhoto, null);
});

test("a page over the scan's element cap is not tree-parsed", () => {
  // 120 KB, within the byte cap, past the 20,000-element cap.
  const many = "<br>".repeat(30_000);
  const result = check(
    `<div class="h-entry"><a class="u-like-of" href="${target}">t</a>${many}</div>`,
  );
  // The link is found before the cap; microformats are skipped, the kind stays a mention.
  assert.ok(result.ok);
  assert.equal(result.post.property, "mention-of");
});
