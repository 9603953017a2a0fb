import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../../../test/support/random.ts";
import { normalFormUrl } from "../src/page/normal-form-url.ts";
import { resolveTarget } from "../src/page/resolve-target.ts";

/** What the URL parser makes of an href: the shortcut must give exactly this or nothing. */
function parsed(href: string) {
  const url = URL.parse(href);
  if (url === null) return null;
  url.hash = "";
  return { protocol: url.protocol, host: url.host, target: url.href };
}

/** For each part of an href: pieces the parser leaves alone, and odd ones. */
const PIECES = {
  scheme: [
    ["https://", "http://"],
    ["HTTPS://", "https:/", "https:///", "ftp://", " https://", "https:\\\\", "Http://"],
  ],
  label: [
    ["example", "blog", "a", "s12", "my-site", "com", "io", "x1", "a--b", "-a", "a-"],
    ["xn--bcher-kva", "xn--a", "123", "0x1f", "08", "Example", "ex_ample", "é", "1x", ""],
  ],
  hostEnd: [[""], [".", ":8080", ":443", ":", "@x", "%41", "[::1]", "..", " ", "\t"]],
  segment: [
    [
      "/",
      "/a",
      "/post",
      "/2024",
      "/A",
      "/~u",
      "/.x",
      "/..x",
      "/a:b",
      "/a@b",
      "/a=b",
      "/(x)",
      "/*",
      "/a+b",
      "/a;b",
      "/a,b",
      "/a!b",
      "/a$",
      "/a&b",
      "/'",
    ],
    [
      "/.",
      "/..",
      "/./",
      "/../",
      "/%2e",
      "/%41",
      "/^",
      "/|",
      "/`",
      "/{",
      "/ ",
      "/\t",
      "/\\",
      "/é",
      "//",
      "\n",
    ],
  ],
  query: [
    ["", "?", "?a=1", "?a=1&b=2", "?q=%20x", "?/a?b", "?%zz"],
    ["?x='", "?x=^", "?x=|", "?x=é", "?x= ", "?x=<"],
  ],
  fragment: [
    ["", "#", "#top", "##"],
    ["#a b", "#é", "#%", "#<"],
  ],
} as const;

/** A random href, each piece odd one time in eight. */
function randomHref(next: () => number): string {
  const pick = (part: keyof typeof PIECES): string => {
    const list = PIECES[part][next() < 0.125 ? 1 : 0];
    return list[Math.floor(next() * list.length)] as string;
  };
  const labels = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick("label"));
  let href = pick("scheme") + labels.join(".") + pick("hostEnd");
  const segments = Math.floor(next() * 4);
  for (let k = 0; k < segments; k++) href += pick("segment");
  return href + pick("query") + pick("fragment");
}

describe("normalFormUrl: absolute http(s) URLs the parser would leave as they are", () => {
  it("agrees with URL.parse wherever it answers, on 200,000 generated hrefs", () => {
    const next = seededRandom(7);
    let answered = 0;
    for (let k = 0; k < 200_000; k++) {
      const href = randomHref(next);
      const fast = normalFormUrl(href);
      if (fast === undefined) continue;
      answered++;
      assert.deepEqual(fast, parsed(href), href);
    }
    // Not vacuous: a good share of the hrefs take the shortcut.
    assert.ok(answered > 20_000, `${answered} answered`);
  });

  it("takes ordinary links and leaves the odd ones to the parser", () => {
    for (const href of [
      "https://example.com/",
      "http://blog.example/posts/a-b_c~d/?x=1&y=2#top",
      "https://s12.example/word/345",
      "https://example.com/a/b/",
      "https://example.com/p?",
    ]) {
      assert.deepEqual(normalFormUrl(href), parsed(href), href);
    }
    for (const href of [
      "https://Example.com/",
      "https://example.com",
      "https://example.com:8080/",
      "https://user@example.com/",
      "https://example.com/a/../b",
      "https://example.com/a/./b",
      "https://example.com/a/%2e%2e/b",
      "https://xn--bcher-kva.example/",
      "https://192.168.0.1/",
      "https://example.0x1f/",
      "https://example.com/a b",
      " https://example.com/",
      "HTTPS://example.com/",
      "https://example.com/é",
    ]) {
      assert.equal(normalFormUrl(href), undefined, href);
    }
  });

  it("leaves resolveTarget's answers as they were", () => {
    const filter = {
      pageUrl: new URL("https://blog.example/posts/a/"),
      base: new URL("https://blog.example/posts/a/"),
      site: new URL("https://blog.example/"),
      includeSameSite: false,
      excludeLinks: [],
    };
    const sameSite = { ...filter, includeSameSite: true };
    const next = seededRandom(11);
    for (let k = 0; k < 50_000; k++) {
      const href = randomHref(next).replace(/^(https?:\/\/)[^/]*/, (whole, scheme) =>
        next() < 0.3 ? `${scheme}blog.example` : whole,
      );
      for (const f of [filter, sameSite]) {
        // Through the shortcut, and with it kept out by a matcher that matches nothing.
        const slow = resolveTarget(href, { ...f, excludeLinks: [() => false] });
        assert.equal(resolveTarget(href, f), slow, href);
      }
    }
    assert.equal(resolveTarget("https://blog.example/posts/a/#x", sameSite), undefined);
    assert.equal(resolveTarget("https://a.example/p#", filter), "https://a.example/p");
  });
});
