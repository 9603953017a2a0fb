import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { linkHeaderValues, parseLinkHeader, relationTypes } from "../../src/send/index.ts";

const parsed = (value: string) =>
  parseLinkHeader(value).map((link) => ({ target: link.target, params: { ...link.params } }));

describe("parseLinkHeader (RFC 8288)", () => {
  const table: [string, string, ReturnType<typeof parsed>][] = [
    ["unquoted rel", "</wm>; rel=webmention", [{ target: "/wm", params: { rel: "webmention" } }]],
    [
      "quoted rel with several types, spaces around = and ;",
      '<https://e.example/wm> ;rel = "webmention other" ; title=x',
      [{ target: "https://e.example/wm", params: { rel: "webmention other", title: "x" } }],
    ],
    [
      "several values, commas inside <> and quoted strings",
      '</a,b>; title="x, y; z", </c>; rel=next',
      [
        { target: "/a,b", params: { title: "x, y; z" } },
        { target: "/c", params: { rel: "next" } },
      ],
    ],
    [
      "quoted-pair escapes",
      '</a>; title="say \\"hi\\" \\\\ there"',
      [{ target: "/a", params: { title: 'say "hi" \\ there' } }],
    ],
    [
      "the first rel wins, parameter names are case-insensitive",
      "</a>; REL=first; rel=second",
      [{ target: "/a", params: { rel: "first" } }],
    ],
    [
      "a parameter without a value",
      "</a>; crossorigin",
      [{ target: "/a", params: { crossorigin: "" } }],
    ],
    [
      "a malformed value is skipped, the next still counts",
      '/no-brackets; rel="x,y", </a> junk, </b>; rel=webmention',
      [{ target: "/b", params: { rel: "webmention" } }],
    ],
    [
      "an unclosed < ends the header",
      "</a>; rel=x, <never",
      [{ target: "/a", params: { rel: "x" } }],
    ],
    [
      "an unterminated quote keeps what it read",
      '</a>; title="open',
      [{ target: "/a", params: { title: "open" } }],
    ],
    ["empty and comma-only values", " , ,, ", []],
  ];
  for (const [name, value, expected] of table) {
    it(name, () => assert.deepEqual(parsed(value), expected));
  }

  it("does not let a parameter named __proto__ reach the prototype", () => {
    const [link] = parseLinkHeader("</a>; __proto__=x; rel=webmention");
    assert.deepEqual(Object.entries(link?.params ?? {}), [
      ["__proto__", "x"],
      ["rel", "webmention"],
    ]);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});

describe("relationTypes and linkHeaderValues", () => {
  it("splits rel on any ASCII whitespace and lowercases", () => {
    assert.deepEqual(relationTypes(" WebMention\tme\nnext "), ["webmention", "me", "next"]);
    assert.deepEqual(relationTypes(undefined), []);
  });

  it("collects every Link header whatever its casing, arrays flattened, in order", () => {
    assert.deepEqual(
      linkHeaderValues({
        LINK: ["</a>", "</b>"],
        "x-pingback": "/x",
        link: "</c>",
        Link: undefined,
      }),
      ["</a>", "</b>", "</c>"],
    );
  });
});
