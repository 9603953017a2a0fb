import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PingbackFileError } from "../../src/files/file-error.ts";
import { entriesForUrl } from "../../src/received/match.ts";
import { normalizeFeed } from "../../src/received/normalize.ts";

const feed = (children: unknown[]) => ({ type: "feed", name: "Webmentions", children });

describe("normalizeFeed", () => {
  it("rejects a feed without children, naming the origin", () => {
    assert.throws(
      () => normalizeFeed({ type: "feed" }, "received.json"),
      (error: unknown) =>
        error instanceof PingbackFileError && /received\.json/.test(error.message),
    );
    assert.throws(() => normalizeFeed([], "x"), PingbackFileError);
  });

  it("drops unusable entries, de-duplicates pairs keeping the latest, sorts oldest first", () => {
    const { entries, dropped } = normalizeFeed(
      feed([
        {
          "wm-source": "https://b.example/",
          "wm-target": "https://me.example/p/",
          published: "2024-03-01T00:00:00Z",
        },
        {
          "wm-source": "https://a.example/",
          "wm-target": "https://me.example/p/",
          published: "2024-02-01T00:00:00Z",
          name: "old",
          "wm-received": "2024-02-01T00:00:00Z",
        },
        {
          "wm-source": "https://a.example/",
          "wm-target": "https://me.example/p/",
          published: "2024-02-01T00:00:00Z",
          name: "new",
          "wm-received": "2024-02-05T00:00:00Z",
        },
        { "wm-source": "ftp://a.example/", "wm-target": "https://me.example/p/" },
        { "wm-target": "https://me.example/p/" },
        { "wm-source": "https://c.example/", "wm-target": "/relative" },
      ]),
      "test",
    );
    assert.equal(dropped, 4);
    assert.deepEqual(
      entries.map((e) => [e.source, e.title]),
      [
        ["https://a.example/", "new"],
        ["https://b.example/", null],
      ],
    );
    assert.equal(entries[0]?.protocol, "");
    assert.equal(entries[0]?.received, "2024-02-05T00:00:00.000Z");
  });

  it("keeps author, language, protocol and property from webmention.io's JF2", () => {
    const { entries } = normalizeFeed(
      feed([
        {
          type: "entry",
          author: {
            type: "card",
            name: "  Alice\n Example ",
            photo: "https://x/p.jpg",
            url: "https://alice.example/",
          },
          url: "https://alice.example/post",
          published: "2024-05-01T09:30:00+02:00",
          "wm-received": "2024-05-02T10:00:00Z",
          "wm-id": 12345,
          "wm-source": "https://alice.example/post",
          "wm-target": "https://me.example/hello/",
          "wm-protocol": "Pingback",
          "wm-property": "mention-of",
          "wm-private": false,
          name: "Hello",
          content: { html: "<p>hi</p>", text: "hi" },
          lang: "de",
        },
      ]),
      "test",
    );
    assert.deepEqual(entries[0], {
      source: "https://alice.example/post",
      target: "https://me.example/hello/",
      protocol: "pingback",
      property: "mention-of",
      received: "2024-05-02T10:00:00.000Z",
      published: "2024-05-01T07:30:00.000Z",
      title: "Hello",
      // The photo is kept as a URL (shown only when a template turns avatars on).
      author: { name: "Alice Example", url: "https://alice.example/", photo: "https://x/p.jpg" },
      lang: "de",
      // content.text is kept; only replies show it.
      excerpt: "hi",
    });
  });
});

describe("entriesForUrl", () => {
  const { entries } = normalizeFeed(
    feed([
      { "wm-source": "https://a.example/1", "wm-target": "https://me.example/blog/posts/hello/" },
      { "wm-source": "https://a.example/2", "wm-target": "https://me.example/blog/posts/hello" },
      {
        "wm-source": "https://a.example/3",
        "wm-target": "https://me.example/blog/posts/hello/index.html#c",
      },
      { "wm-source": "https://a.example/4", "wm-target": "https://me.example/blog/posts/other/" },
      { "wm-source": "https://a.example/5", "wm-target": "https://ME.example:443/blog/" },
    ]),
    "test",
  );
  const sources = (list: { source: string }[]) =>
    list
      .map((e) => e.source.slice(-1))
      .sort()
      .join("");

  it("matches with and without a trailing slash and /index.html", () => {
    assert.equal(sources(entriesForUrl(entries, "https://me.example/blog/posts/hello/")), "123");
    assert.equal(sources(entriesForUrl(entries, "https://me.example/blog/posts/hello")), "123");
    assert.equal(
      sources(entriesForUrl(entries, new URL("https://me.example/blog/posts/hello/index.html"))),
      "123",
    );
    assert.equal(sources(entriesForUrl(entries, "https://me.example/blog/")), "5");
  });

  it("resolves a page path against the site and its base path", () => {
    assert.equal(
      sources(entriesForUrl(entries, "/posts/hello/", "https://me.example/blog/")),
      "123",
    );
    assert.equal(
      sources(entriesForUrl(entries, "/posts/hello/", "https://me.example/blog")),
      "123",
    );
    assert.equal(sources(entriesForUrl(entries, "/", "https://me.example/blog/")), "5");
    assert.equal(entriesForUrl(entries, "/posts/hello/", "https://other.example/blog/").length, 0);
  });

  it("matches on the path alone when given a path and no site, and never throws", () => {
    assert.equal(sources(entriesForUrl(entries, "/blog/posts/other")), "4");
    assert.deepEqual(entriesForUrl(entries, undefined), []);
    assert.deepEqual(entriesForUrl(entries, "http://[bad"), []);
    assert.deepEqual(entriesForUrl([], "/x"), []);
  });
});

describe("normalizeFeed on the receiver's export shape", () => {
  it("reads an entry as packages/receiver's toJf2Entry writes it (empty author, null date)", () => {
    const { entries, dropped } = normalizeFeed(
      {
        type: "feed",
        name: "Pingbacks",
        children: [
          {
            type: "entry",
            author: { type: "card", name: "", url: "", photo: "" },
            url: "https://a.example/post",
            published: null,
            "wm-received": "2025-01-02T03:04:05.000Z",
            "wm-id": 7,
            "wm-source": "https://a.example/post",
            "wm-target": "https://me.example/p/",
            "wm-protocol": "pingback",
            "wm-property": "mention-of",
            "wm-private": false,
            "mention-of": "https://me.example/p/",
            content: { text: "an excerpt we do not show" },
          },
        ],
      },
      "export",
    );
    assert.equal(dropped, 0);
    assert.deepEqual(entries[0], {
      source: "https://a.example/post",
      target: "https://me.example/p/",
      protocol: "pingback",
      property: "mention-of",
      received: "2025-01-02T03:04:05.000Z",
      published: null,
      title: null,
      author: null,
      lang: null,
      // Kept for a reply's excerpt; a mention does not show it.
      excerpt: "an excerpt we do not show",
    });
  });
});
