import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fastPathDeclineReason, processPage, resolveOptions } from "../src/index.ts";
import { processPageReference } from "../src/page/reference/process-page-reference.ts";

const options = resolveOptions(
  { site: "https://blog.example", receiver: "https://m.example/" },
  "t",
);
const URL_ = "https://blog.example/posts/a/";

function page({ nav = "Home", post = "<p>First words.</p>", footer = "", mentions = "" } = {}) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A post</title></head>
<body>
<nav><a href="/">${nav}</a></nav>
<article class="h-entry"><h1 class="p-name">A post</h1><div class="e-content">${post}<p><a href="https://target.example/">t</a></p></div></article>
${mentions}
<footer>${footer}</footer>
</body>
</html>
`;
}

describe("content fingerprint: changes with the post, not with the page around it", () => {
  const base = processPage(page(), URL_, options);

  it("is set on a page whose content selector matched, and the same on both paths", () => {
    assert.equal(fastPathDeclineReason(page(), options), undefined);
    assert.match(base.contentHash ?? "", /^[A-Za-z0-9+/]{27}=$/);
    assert.equal(processPageReference(page(), URL_, options).contentHash, base.contentHash);
  });

  it("stays when the navigation, the footer or the mentions shown below the post change", () => {
    for (const changed of [
      page({ nav: "Start" }),
      page({ footer: "© 2027" }),
      page({
        mentions: '<section class="pingbacks"><ul><li class="h-cite">a reply</li></ul></section>',
      }),
    ]) {
      assert.equal(processPage(changed, URL_, options).contentHash, base.contentHash);
    }
  });

  it("changes when the post's text or markup changes", () => {
    for (const changed of [
      page({ post: "<p>First words, edited.</p>" }),
      page({ post: "<p><em>First</em> words.</p>" }),
    ]) {
      const result = processPage(changed, URL_, options);
      assert.notEqual(result.contentHash, base.contentHash);
      assert.deepEqual(result.links, base.links);
    }
  });

  it("covers every element of the scope, in order", () => {
    const two = (a: string, b: string) =>
      `<!doctype html><html><head><title>t</title></head><body><main><p>${a}</p></main><main><p>${b}</p></main></body></html>`;
    const plain = resolveOptions({ site: "https://blog.example", contentSelector: "main" }, "t");
    const ab = processPage(two("a", "b"), URL_, plain).contentHash;
    assert.notEqual(ab, processPage(two("b", "a"), URL_, plain).contentHash);
    assert.notEqual(ab, processPage(two("a", "c"), URL_, plain).contentHash);
    assert.equal(ab, processPageReference(two("a", "b"), URL_, plain).contentHash);
  });

  it("leaves a scope element without its end tag to the reference, which still fingerprints it", () => {
    const html = `<!doctype html><html><head><title>t</title></head><body><main><p>x <a href="https://t.example/">t</a></p>\n</body></html>`;
    const plain = resolveOptions({ site: "https://blog.example", contentSelector: "main" }, "t");
    const result = processPage(html, URL_, plain);
    assert.deepEqual(result, processPageReference(html, URL_, plain));
    assert.equal(typeof result.contentHash, "string");
  });

  it("is null when no content selector matched or the page does not take part", () => {
    const bare = `<!doctype html><html><head><title>t</title></head><body></body></html>`;
    const onlyArticle = resolveOptions(
      { site: "https://blog.example", contentSelector: "article" },
      "t",
    );
    assert.equal(processPage(bare, URL_, onlyArticle).contentHash, null);
    assert.equal(processPage(page(), "https://blog.example/404.html", options).contentHash, null);
  });
});
