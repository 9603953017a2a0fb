import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeFeed } from "../../src/received/normalize.ts";
import { renderPingbacks } from "../../src/received/render.ts";

function entriesOf(children: unknown[]) {
  return normalizeFeed({ type: "feed", children }, "test").entries;
}

const FRIENDLY = {
  "wm-source": "https://alice.example/2024/05/on-bobs-post",
  "wm-target": "https://bob.example/posts/hello/",
  "wm-property": "mention-of",
  "wm-protocol": "pingback",
  "wm-received": "2024-05-02T10:00:00Z",
  published: "2024-05-01T09:30:00+02:00",
  name: "Thoughts on Bob's post",
  author: { type: "card", name: "Alice", url: "https://alice.example/" },
  lang: "en-GB",
};

describe("renderPingbacks", () => {
  it("renders a section, heading and ordered list of h-cite entries", () => {
    const html = renderPingbacks(entriesOf([FRIENDLY]));
    assert.equal(
      html,
      '<section class="pingbacks" data-no-pingback><h2 class="pingbacks__heading">Posts linking here</h2>' +
        '<ol class="pingbacks__list"><li class="pingbacks__item h-cite">' +
        '<a class="pingbacks__title u-url p-name" href="https://alice.example/2024/05/on-bobs-post" hreflang="en-GB" lang="en-GB">Thoughts on Bob&#39;s post</a>' +
        '<span class="pingbacks__meta">, by <a class="pingbacks__author p-author h-card" href="https://alice.example/">Alice</a> ' +
        'on <time class="pingbacks__date dt-published" datetime="2024-05-01T07:30:00.000Z">May 1, 2024</time></span>' +
        "</li></ol></section>",
    );
    assert.doesNotMatch(html, /Pingback from|\[…\]|\[\.\.\.\]/);
  });

  it("reads as a sentence: title, author and date apart, in the page's language", () => {
    const text = (html: string) => html.replace(/<[^>]+>/g, "");
    const [entry] = entriesOf([FRIENDLY]);
    assert.ok(entry);
    assert.equal(
      text(renderPingbacks([entry], { heading: "" })),
      "Thoughts on Bob&#39;s post, by Alice on May 1, 2024",
    );
    assert.equal(
      text(renderPingbacks([entry], { heading: "", lang: "de", byText: "von", onText: "am" })),
      "Thoughts on Bob&#39;s post, von Alice am 1. Mai 2024",
    );
    assert.equal(
      text(renderPingbacks([entry], { heading: "", lang: "en-GB", onText: "" })),
      "Thoughts on Bob&#39;s post, by Alice 1 May 2024",
    );
    // The date is the UTC calendar date whatever the build machine's zone: 23:30 UTC stays that day.
    const late = entriesOf([{ ...FRIENDLY, published: "2024-05-01T23:30:00Z" }]);
    assert.match(renderPingbacks(late, { lang: "fr" }), />1 mai 2024<\/time>/);
    // A title that ends its own sentence takes no comma.
    const asked = entriesOf([{ ...FRIENDLY, name: "Do static sites need pingbacks?" }]);
    assert.match(renderPingbacks(asked), /pingbacks\?<\/a><span class="pingbacks__meta"> by /);
  });

  it("marks only the citing title with the citing post's language, not the page's words", () => {
    const html = renderPingbacks(entriesOf([{ ...FRIENDLY, lang: "de" }]));
    assert.match(html, /<li class="pingbacks__item h-cite"><a [^>]*hreflang="de" lang="de">/);
    assert.equal(html.match(/lang=/g)?.length, 2, "hreflang and lang on the title, nowhere else");
  });

  it("says which option is wrong for a tag that is not a language, with or without entries", () => {
    const message = /render option lang: "en_GB!" is not a language tag/;
    assert.throws(() => renderPingbacks(entriesOf([FRIENDLY]), { lang: "en_GB!" }), message);
    assert.throws(() => renderPingbacks([], { lang: "en_GB!" }), message);
  });

  it("renders nothing for no entries, or the empty-state text when asked", () => {
    assert.equal(renderPingbacks([]), "");
    assert.equal(
      renderPingbacks([], { emptyText: "No <posts> yet", heading: "Links", headingLevel: 3 }),
      '<section class="pingbacks pingbacks--empty" data-no-pingback><h3 class="pingbacks__heading">Links</h3>' +
        '<p class="pingbacks__empty">No &lt;posts&gt; yet</p></section>',
    );
  });

  it("falls back to the site name and the URL path when author and title are missing", () => {
    const html = renderPingbacks(
      entriesOf([
        { "wm-source": "https://www.carol.example/notes/42", "wm-target": "https://bob.example/" },
      ]),
    );
    assert.match(html, />www\.carol\.example\/notes\/42<\/a>/);
    assert.match(html, /<span class="pingbacks__author p-author h-card">carol\.example<\/span>/);
    assert.doesNotMatch(html, /<time/);
  });

  it("escapes hostile text, refuses javascript: URLs and caps huge titles", () => {
    const huge = `<script>alert(1)</script>${"A".repeat(1024 * 1024)}`;
    const entries = entriesOf([
      {
        "wm-source": 'https://evil.example/a?x="><script>alert(2)</script>',
        "wm-target": "https://bob.example/posts/hello/",
        name: huge,
        author: { name: '"><img src=x onerror=alert(3)>', url: "javascript:alert(4)" },
        lang: '"><script>',
        published: "<script>",
      },
      { "wm-source": "javascript:alert(5)", "wm-target": "https://bob.example/" },
      { "wm-source": "data:text/html,hi", "wm-target": "https://bob.example/" },
      {
        "wm-source": "https://evil.example/b",
        "wm-target": "https://bob.example/",
        name: "x\u202Egnp.exe\u0000",
        author: { name: "Mallory", url: " JAVASCRIPT:alert(6)" },
      },
    ]);
    assert.equal(entries.length, 2, "javascript: and data: sources are dropped");
    const html = renderPingbacks(entries, { formatDate: () => "<b>" });
    assert.ok(html.length < 3000, `output is capped (${html.length} chars)`);
    assert.doesNotMatch(html, /<script|<img|javascript:/i);
    assert.ok(
      !html.includes("\u202E") && !html.includes("\u0000"),
      "invisible controls are removed",
    );
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]));
    assert.deepEqual([...tags].sort(), ["a", "h2", "li", "ol", "section", "span"]);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;A+…<\/a>/);
    assert.match(
      html,
      /href="https:\/\/evil\.example\/a\?x=%22%3E%3Cscript%3Ealert\(2\)%3C\/script%3E"/,
    );
    assert.match(
      html,
      /<span class="pingbacks__author p-author h-card">&quot;&gt;&lt;img src=x onerror=alert\(3\)&gt;<\/span>/,
    );
    assert.doesNotMatch(html, /hreflang|lang=/, "an invalid language tag is dropped");
    // Only the hrefs we wrote, all http(s).
    for (const [, href] of html.matchAll(/href="([^"]*)"/g))
      assert.match(href as string, /^https?:\/\//);
  });

  it("keeps at most maxEntries, the latest ones", () => {
    const children = Array.from({ length: 5 }, (_, i) => ({
      "wm-source": `https://s${i}.example/`,
      "wm-target": "https://bob.example/",
      published: `2024-01-0${i + 1}T00:00:00Z`,
    }));
    const html = renderPingbacks(entriesOf(children), { maxEntries: 2 });
    assert.equal(html.match(/<li /g)?.length, 2);
    assert.match(html, /s3\.example.*s4\.example/);
  });
});
