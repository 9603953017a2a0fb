import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupByKind } from "../../src/received/kinds.ts";
import { normalizeFeed } from "../../src/received/normalize.ts";
import { renderPingbacks } from "../../src/received/render.ts";

const TARGET = "https://bob.example/posts/hello/";

function entry(property: string, source: string, extra: Record<string, unknown> = {}) {
  return {
    "wm-source": source,
    "wm-target": TARGET,
    "wm-property": property,
    "wm-protocol": "webmention",
    "wm-received": "2026-11-27T10:00:00Z",
    [property]: TARGET,
    ...extra,
  };
}

const FEED = [
  entry("in-reply-to", "https://ann.example/reply", {
    author: {
      type: "card",
      name: "Ann <script>",
      url: "https://ann.example/",
      photo: "https://ann.example/me.jpg",
    },
    published: "2026-11-26T09:00:00Z",
    content: { text: "I <b>disagree</b> & here is why." },
    lang: "fr",
  }),
  entry("like-of", "https://bo.example/likes/1", { author: { type: "card", name: "Bo" } }),
  entry("like-of", "https://cy.example/likes/2", { author: { type: "card", name: "Cy" } }),
  entry("repost-of", "https://di.example/r/1", { author: { type: "card", name: "Di" } }),
  entry("mention-of", "https://ed.example/post", {
    "wm-protocol": "pingback",
    name: '"><img src=x onerror=alert(1)>',
    author: { type: "card", name: "Ed", url: "https://ed.example/" },
    published: "2026-11-20T00:00:00Z",
  }),
  entry("bookmark-of", "https://fi.example/b/1", {
    name: "Reading list",
    author: { type: "card", name: "Fi" },
  }),
];

const entries = normalizeFeed({ type: "feed", children: FEED }, "test").entries;
const text = (html: string) => html.replace(/<[^>]+>/g, "");
/** The text of the first element with `className`. */
const textOf = (html: string, className: string) => {
  const at = html.indexOf(`class="${className}`);
  return text(html.slice(html.lastIndexOf("<", at), html.indexOf("</p>", at)));
};

describe("renderPingbacks grouped by kind", () => {
  it("groups replies, likes, reposts and citing posts (bookmarks with mentions)", () => {
    const groups = groupByKind(entries);
    assert.deepEqual(
      [groups.replies.length, groups.likes.length, groups.reposts.length, groups.mentions.length],
      [1, 2, 1, 2],
    );
    const html = renderPingbacks(entries);
    const order = ["--replies", "--likes", "--reposts", "--mentions"].map((g) =>
      html.indexOf(`pingbacks__group${g}`),
    );
    assert.ok(
      order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number))),
      html,
    );
    assert.match(html, /<h2 class="pingbacks__heading">Responses<\/h2>/);
    assert.match(
      html,
      /<h3 class="pingbacks__group-heading">Likes <span class="pingbacks__count">\(2\)<\/span><\/h3>/,
    );
    // Every response is an h-cite; no JavaScript, no "Pingback from".
    assert.equal(html.match(/h-cite/g)?.length, 6);
    assert.doesNotMatch(html, /<script|<img|Pingback from/);
  });

  it("a reply reads as a comment: author, 'replied on' date linking to it, escaped excerpt in its language", () => {
    const html = renderPingbacks(entries, { heading: "" });
    const reply = html.slice(
      html.indexOf('<li class="pingbacks__reply'),
      html.indexOf("</li>") + 5,
    );
    assert.match(
      reply,
      /class="pingbacks__author p-author h-card" href="https:\/\/ann.example\/">Ann &lt;script&gt;<\/a>/,
    );
    assert.match(
      reply,
      /<a class="pingbacks__permalink u-url" href="https:\/\/ann.example\/reply" hreflang="fr" lang="fr">replied on <time class="pingbacks__date dt-published" datetime="2026-11-26T09:00:00.000Z">November 26, 2026<\/time><\/a>/,
    );
    assert.match(
      reply,
      /<p class="pingbacks__excerpt p-content" lang="fr">I &lt;b&gt;disagree&lt;\/b&gt; &amp; here is why.<\/p>/,
    );
    // Avatars are off by default: no third-party request from readers' browsers.
    assert.doesNotMatch(html, /<img/);
  });

  it("likes and reposts are one row of names, joined in the page's language", () => {
    assert.equal(textOf(renderPingbacks(entries), "pingbacks__people"), "Bo and Cy");
    assert.equal(
      textOf(renderPingbacks(entries, { lang: "de" }), "pingbacks__people"),
      "Bo und Cy",
    );
    const german = renderPingbacks(entries, { lang: "de", groupHeadings: { likes: "Gefällt" } });
    assert.match(text(german), /Gefällt \(2\)Bo und Cy/);
  });

  it("citing posts: title, author, site, date; hostile titles escaped", () => {
    const html = renderPingbacks(entries);
    assert.match(html, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/a>/);
    // An author without a URL of their own: the site is named too.
    assert.match(text(html), /Reading list, by Fi \(fi\.example\) on November 27, 2026/);
  });

  it("avatars only when a template maps the photo URL (e.g. to a copy in the site's output)", () => {
    const html = renderPingbacks(entries, {
      avatars: (url) => `/avatars/${encodeURIComponent(new URL(url).hostname)}.jpg`,
    });
    assert.match(html, /<img class="pingbacks__avatar u-photo" src="\/avatars\/ann.example.jpg"/);
    // A mapping that returns a javascript: URL is dropped.
    assert.doesNotMatch(renderPingbacks(entries, { avatars: () => "javascript:alert(1)" }), /<img/);
  });

  it("only citing posts: the list alone, as before", () => {
    const mentions = entries.filter((e) => e.property === "mention-of");
    const html = renderPingbacks(mentions);
    assert.match(
      html,
      /^<section class="pingbacks" data-no-pingback><h2 class="pingbacks__heading">Posts linking here<\/h2><ol class="pingbacks__list">/,
    );
    assert.doesNotMatch(html, /pingbacks__group/);
  });
});
