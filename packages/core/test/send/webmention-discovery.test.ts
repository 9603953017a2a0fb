import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, it } from "node:test";
import { createHttpClient } from "../../src/net/index.ts";
import {
  findWebmentionEndpoint,
  findWebmentionEndpointInResponse,
  type WebmentionFoundIn,
} from "../../src/send/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";

/**
 * The webmention.rocks discovery tests 1–23, each served as the suite describes it
 * (https://webmention.rocks/test/N), plus pingback-only, both and none. Every "error"
 * endpoint is a false one the sender must not pick. Headers and redirects go over a
 * real loopback connection through the guarded client.
 */

interface Served {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

interface Case {
  name: string;
  /** What /test/<id> answers; `base` is the server's origin (for absolute URLs). */
  serve: (base: string) => Served;
  /** Expected endpoint as a path on the server (or absolute), or undefined for none. */
  expect: { endpoint: string; foundIn: WebmentionFoundIn } | undefined;
}

const doc = (head: string, body = "<p>post</p>") =>
  `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;

const header = (endpoint: string) => ({ endpoint, foundIn: "link-header" as const });
const linkEl = (endpoint: string) => ({ endpoint, foundIn: "link-element" as const });
const aEl = (endpoint: string) => ({ endpoint, foundIn: "a-element" as const });

const CASES: Record<string, Case> = {
  "1": {
    name: "HTTP Link header, unquoted rel, relative URL",
    serve: () => ({
      headers: { link: "</test/1/webmention?head=true>; rel=webmention" },
      body: doc(""),
    }),
    expect: header("/test/1/webmention?head=true"),
  },
  "2": {
    name: "HTTP Link header, unquoted rel, absolute URL",
    serve: (base) => ({
      headers: { link: `<${base}/test/2/webmention?head=true>; rel=webmention` },
      body: doc(""),
    }),
    expect: header("/test/2/webmention?head=true"),
  },
  "3": {
    name: "HTML <link> tag, relative URL",
    serve: () => ({ body: doc('<link rel="webmention" href="/test/3/webmention">') }),
    expect: linkEl("/test/3/webmention"),
  },
  "4": {
    name: "HTML <link> tag, absolute URL",
    serve: (base) => ({ body: doc(`<link rel="webmention" href="${base}/test/4/webmention">`) }),
    expect: linkEl("/test/4/webmention"),
  },
  "5": {
    name: "HTML <a> tag, relative URL",
    serve: () => ({ body: doc("", '<p><a rel="webmention" href="/test/5/webmention">wm</a></p>') }),
    expect: aEl("/test/5/webmention"),
  },
  "6": {
    name: "HTML <a> tag, absolute URL",
    serve: (base) => ({
      body: doc("", `<p><a rel="webmention" href="${base}/test/6/webmention">wm</a></p>`),
    }),
    expect: aEl("/test/6/webmention"),
  },
  "7": {
    name: "HTTP Link header with strange casing",
    serve: (base) => ({
      headers: { LinK: `<${base}/test/7/webmention?head=true>; rel=webmention` },
      body: doc(""),
    }),
    expect: header("/test/7/webmention?head=true"),
  },
  "8": {
    name: "HTTP Link header, quoted rel",
    serve: (base) => ({
      headers: { Link: `<${base}/test/8/webmention?head=true>; rel="webmention"` },
      body: doc(""),
    }),
    expect: header("/test/8/webmention?head=true"),
  },
  "9": {
    name: "Multiple rel values on a <link> tag",
    serve: () => ({ body: doc('<link rel="webmention somethingelse" href="/test/9/webmention">') }),
    expect: linkEl("/test/9/webmention"),
  },
  "10": {
    name: "Multiple rel values on a Link header",
    serve: (base) => ({
      headers: { Link: `<${base}/test/10/webmention?head=true>; rel="webmention somethingelse"` },
      body: doc(""),
    }),
    expect: header("/test/10/webmention?head=true"),
  },
  "11": {
    name: "Multiple Webmention endpoints advertised: Link, <link>, <a>",
    serve: () => ({
      headers: { Link: "</test/11/webmention>; rel=webmention" },
      body: doc(
        '<link rel="webmention" href="/test/11/error">',
        '<a rel="webmention" href="/test/11/error">wm</a>',
      ),
    }),
    expect: header("/test/11/webmention"),
  },
  "12": {
    name: "Checking for exact match of rel=webmention",
    serve: () => ({
      body: doc(
        '<link rel="not-webmention" href="/test/12/error"><link rel="webmention" href="/test/12/webmention">',
      ),
    }),
    expect: linkEl("/test/12/webmention"),
  },
  "13": {
    name: "False endpoint inside an HTML comment",
    serve: () => ({
      body: doc(
        '<!-- <link rel="webmention" href="/test/13/error"> --><link rel="webmention" href="/test/13/webmention">',
      ),
    }),
    expect: linkEl("/test/13/webmention"),
  },
  "14": {
    name: "False endpoint in escaped HTML",
    serve: () => ({
      body: doc(
        "",
        '<p><code>&lt;a href="/test/14/error" rel="webmention"&gt;&lt;/a&gt;</code></p><p><a href="/test/14/webmention" rel="webmention">wm</a></p>',
      ),
    }),
    expect: aEl("/test/14/webmention"),
  },
  "15": {
    name: "Webmention href is an empty string",
    serve: () => ({ body: doc('<link rel="webmention" href="">') }),
    expect: linkEl("/test/15"),
  },
  "16": {
    name: "Multiple Webmention endpoints advertised: <a>, <link>",
    serve: () => ({
      body: doc(
        "",
        '<p><a href="/test/16/webmention" rel="webmention">wm</a></p><link rel="webmention" href="/test/16/error">',
      ),
    }),
    expect: aEl("/test/16/webmention"),
  },
  "17": {
    name: "Multiple Webmention endpoints advertised: <link>, <a>",
    serve: () => ({
      body: doc(
        "",
        '<link rel="webmention" href="/test/17/webmention"><p><a href="/test/17/error" rel="webmention">wm</a></p>',
      ),
    }),
    expect: linkEl("/test/17/webmention"),
  },
  "18": {
    name: "Multiple HTTP Link headers",
    serve: () => ({
      headers: {
        Link: [
          '</test/18/error>; rel="other"',
          '</test/18/webmention?head=true>; rel="webmention"',
        ],
      },
      body: doc(""),
    }),
    expect: header("/test/18/webmention?head=true"),
  },
  "19": {
    name: "Single HTTP Link header with multiple values",
    serve: () => ({
      headers: {
        Link: '</test/19/error>; rel="other", </test/19/webmention?head=true>; rel="webmention"',
      },
      body: doc(""),
    }),
    expect: header("/test/19/webmention?head=true"),
  },
  "20": {
    name: "Link tag with no href attribute",
    serve: () => ({
      body: doc('<link rel="webmention">', '<a rel="webmention" href="/test/20/webmention">wm</a>'),
    }),
    expect: aEl("/test/20/webmention"),
  },
  "21": {
    name: "Webmention endpoint has query string parameters",
    serve: () => ({ body: doc('<link rel="webmention" href="/test/21/webmention?query=yes">') }),
    expect: linkEl("/test/21/webmention?query=yes"),
  },
  "22": {
    name: "Webmention endpoint is relative to the path",
    serve: () => ({ body: doc('<link rel="webmention" href="22/webmention">') }),
    expect: linkEl("/test/22/webmention"),
  },
  "23": {
    name: "Webmention target is a redirect and the endpoint is relative",
    serve: () => ({ status: 302, headers: { location: "/test/23/page" } }),
    // Against /test/23/page; resolving against the first URL would give /test/webmention-endpoint.
    expect: header("/test/23/webmention-endpoint"),
  },
  "23/page": {
    name: "(where test 23 redirects)",
    serve: () => ({
      headers: { Link: '<webmention-endpoint>; rel="webmention"' },
      body: doc(""),
    }),
    expect: header("/test/23/webmention-endpoint"),
  },
  "pingback-only": {
    name: "Pingback only: X-Pingback header and pingback link element",
    serve: (base) => ({
      headers: { "x-pingback": `${base}/xmlrpc` },
      body: doc(`<link rel="pingback" href="${base}/xmlrpc">`),
    }),
    expect: undefined,
  },
  both: {
    name: "Both protocols: X-Pingback first, then a Webmention Link header and link element",
    serve: (base) => ({
      headers: {
        "x-pingback": `${base}/xmlrpc`,
        link: '</test/both/webmention>; rel="webmention"',
      },
      body: doc(
        `<link rel="pingback" href="${base}/xmlrpc"><link rel="webmention" href="/test/both/error">`,
      ),
    }),
    expect: header("/test/both/webmention"),
  },
  none: {
    name: "Neither protocol (the word only in text, a stylesheet Link header)",
    serve: () => ({
      headers: { link: '</style.css>; rel="stylesheet"' },
      body: doc("", '<p>I support webmention <a href="/test/none/webmention">soon</a></p>'),
    }),
    expect: undefined,
  },
};

function serve(res: ServerResponse, served: Served) {
  res.writeHead(served.status ?? 200, {
    ...(served.body === undefined ? {} : { "content-type": "text/html; charset=utf-8" }),
    ...served.headers,
  });
  res.end(served.body ?? "");
}

describe("Webmention discovery: webmention.rocks tests 1–23 and more, on loopback", () => {
  let server: Loopback;
  before(async () => {
    server = await startLoopback((req, res) => {
      const id = (req.url ?? "").replace(/^\/test\//, "");
      const found = Object.hasOwn(CASES, id) ? CASES[id] : undefined;
      if (found === undefined) res.writeHead(404).end();
      else serve(res, found.serve(server.url));
    });
  });
  after(() => server.close());
  const client = createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"], timeoutMs: 2_000 });
  after(() => client.close());

  for (const [id, testCase] of Object.entries(CASES)) {
    if (id === "23/page") continue;
    it(`${id}: ${testCase.name}`, async () => {
      const response = await client.request(`${server.url}/test/${id}`, {
        maxBytes: 64 * 1024,
        overflow: "truncate",
      });
      const found = findWebmentionEndpointInResponse(response);
      const expected =
        testCase.expect === undefined
          ? undefined
          : { ...testCase.expect, endpoint: new URL(testCase.expect.endpoint, server.url).href };
      assert.deepEqual(found, expected);
      if (id === "23") assert.equal(response.redirects.length, 1);
    });
  }
});

describe("findWebmentionEndpoint (pure)", () => {
  const url = "https://target.example/post/1?x=1";

  it("matches the header name and rel in any casing, and a header array in order", () => {
    assert.deepEqual(
      findWebmentionEndpoint({
        url,
        headers: { LINK: '<https://e.example/wm>; REL="WebMention"' },
      }),
      { endpoint: "https://e.example/wm", foundIn: "link-header" },
    );
    assert.equal(
      findWebmentionEndpoint({
        url,
        headers: { link: ['<https://e.example/a>; rel="me"', "</wm>; rel=webmention"] },
      })?.endpoint,
      "https://target.example/wm",
    );
  });

  it("reads commas and semicolons inside <> and quotes, and skips a malformed value", () => {
    const headers = {
      link: [
        'garbage "a,b", <https://e.example/x,y;z>; title="a, b; rel=webmention"; rel="other"',
        '<https://e.example/first>; rel="webmention"; rel="other"',
      ].join(", "),
    };
    assert.equal(findWebmentionEndpoint({ url, headers })?.endpoint, "https://e.example/first");
  });

  it("skips a candidate that is not http(s) and takes the next", () => {
    const found = findWebmentionEndpoint({
      url,
      headers: { link: '<mailto:me@e.example>; rel="webmention"' },
      html: '<a rel="webmention" href="javascript:alert(1)">x</a><a rel="webmention" href="/wm">y</a>',
    });
    assert.deepEqual(found, { endpoint: "https://target.example/wm", foundIn: "a-element" });
  });

  it("gives an ASCII endpoint: bidi and control characters in the href are encoded or dropped", () => {
    const found = findWebmentionEndpoint({
      url,
      headers: {},
      html: '<link rel="webmention" href="\t/wm\u202e?a=\u0007b\n">',
    });
    assert.equal(found?.endpoint, "https://target.example/wm%E2%80%AE?a=%07b");
  });

  it("ignores links in script, textarea and template content", () => {
    const html =
      '<script>document.write(\'<link rel="webmention" href="/s">\')</script>' +
      '<textarea><a rel="webmention" href="/t">x</a></textarea>' +
      '<template><link rel="webmention" href="/u"></template>';
    assert.equal(findWebmentionEndpoint({ url, headers: {}, html }), undefined);
  });

  it("finds none for pingback-only and none pages, and Webmention on a both page", () => {
    const pingback = '<link rel="pingback" href="https://target.example/xmlrpc">';
    const headers = { "x-pingback": "https://target.example/xmlrpc" };
    assert.equal(findWebmentionEndpoint({ url, headers, html: pingback }), undefined);
    assert.equal(findWebmentionEndpoint({ url, headers: {}, html: "<p>hi</p>" }), undefined);
    assert.deepEqual(
      findWebmentionEndpoint({
        url,
        headers,
        html: `${pingback}<link rel="webmention" href="">`,
      }),
      { endpoint: url, foundIn: "link-element" },
    );
  });

  it("parses only the first 64 KiB of the HTML", () => {
    const html = `${" ".repeat(64 * 1024)}<link rel="webmention" href="/late">`;
    assert.equal(findWebmentionEndpoint({ url, headers: {}, html }), undefined);
  });
});
