import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { processPage, processPageReference, resolveOptions } from "../src/index.ts";
import { renderPingbacks } from "../src/received/index.ts";

describe("received pingbacks rendered into a post", () => {
  it("are never taken for the post's own links, wherever the template puts them", () => {
    const list = renderPingbacks([
      {
        source: "https://citer.example/their-post/",
        target: "https://blog.example/posts/a/",
        protocol: "pingback",
        property: "mention-of",
        received: "2025-01-01T00:00:00.000Z",
        published: null,
        title: "Their post",
        author: { name: "Citer", url: "https://citer.example/" },
        lang: null,
      },
    ]);
    assert.match(list, /data-no-pingback/);
    // No .e-content here, so the whole <article> is the content scope.
    const html = `<!doctype html><html><head><title>A</title></head><body><article><p><a href="https://mine.example/">mine</a></p>${list}</article></body></html>`;
    const options = resolveOptions({ site: "https://blog.example" }, "test");
    const url = "https://blog.example/posts/a/";
    assert.deepEqual(processPage(html, url, options).links, ["https://mine.example/"]);
    assert.deepEqual(processPageReference(html, url, options).links, ["https://mine.example/"]);
  });
});
