import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { advertisedEndpointsNote, PingbackOptionsError, resolveOptions } from "../src/index.ts";

const PKG = "@static-pingback/test";

describe("resolveOptions", () => {
  it("fills in defaults and normalises the site to end with a slash", () => {
    const resolved = resolveOptions({ site: "https://example.com/blog" }, PKG);
    assert.equal(resolved.site.href, "https://example.com/blog/");
    assert.equal(resolved.endpoint, "https://webmention.io/example.com/xmlrpc");
    assert.equal(resolved.webmentionEndpoint, "https://webmention.io/example.com/webmention");
    assert.equal(resolved.endpointIsDefault, true);
    assert.equal(resolved.stateDir, ".pingback");
    assert.deepEqual(resolved.contentSelector[0], ".h-entry .e-content");
    assert.equal(resolved.includeSameSite, false);
  });

  it("keeps an explicit endpoint", () => {
    const resolved = resolveOptions(
      { site: "https://example.com", endpoint: "https://example.com/xmlrpc?a=1&b=2" },
      PKG,
    );
    assert.equal(resolved.endpoint, "https://example.com/xmlrpc?a=1&b=2");
    assert.equal(resolved.endpointIsDefault, false);
  });

  it("takes both endpoints from a receiver URL, each overridable or off", () => {
    const mounted = resolveOptions(
      { site: "https://example.com", receiver: "https://mentions.example.com/blog" },
      PKG,
    );
    assert.equal(mounted.endpoint, "https://mentions.example.com/blog/xmlrpc");
    assert.equal(mounted.webmentionEndpoint, "https://mentions.example.com/blog/webmention");
    assert.equal(mounted.endpointIsDefault, false);

    const noPingback = resolveOptions(
      { site: "https://example.com", receiver: "https://m.example/", endpoint: false },
      PKG,
    );
    assert.equal(noPingback.endpoint, null);
    assert.equal(noPingback.webmentionEndpoint, "https://m.example/webmention");

    const own = resolveOptions(
      {
        site: "https://example.com",
        receiver: "https://m.example/",
        webmentionEndpoint: "https://wm.example/in",
      },
      PKG,
    );
    assert.equal(own.endpoint, "https://m.example/xmlrpc");
    assert.equal(own.webmentionEndpoint, "https://wm.example/in");
  });

  it("advertises only what is given once any endpoint is given", () => {
    const pingbackOnly = resolveOptions(
      { site: "https://example.com", endpoint: "https://example.com/xmlrpc" },
      PKG,
    );
    assert.equal(pingbackOnly.webmentionEndpoint, null);
    const webmentionOnly = resolveOptions(
      { site: "https://example.com", webmentionEndpoint: "https://example.com/wm" },
      PKG,
    );
    assert.equal(webmentionOnly.endpoint, null);
    assert.equal(webmentionOnly.webmentionEndpoint, "https://example.com/wm");
    const none = resolveOptions(
      { site: "https://example.com", endpoint: false, webmentionEndpoint: false },
      PKG,
    );
    assert.equal(none.endpoint, null);
    assert.equal(none.webmentionEndpoint, null);
    assert.match(advertisedEndpointsNote(none) ?? "", /advertising no endpoint/);
    assert.equal(advertisedEndpointsNote(pingbackOnly), undefined);
    assert.match(
      advertisedEndpointsNote(resolveOptions({ site: "https://example.com" }, PKG)) ?? "",
      /webmention\.io\/example\.com\/webmention and .*\/xmlrpc .*enabled in its settings/,
    );
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ["missing site", {}, /option "site" is required/],
    ["relative site", { site: "/blog" }, /option "site" must be an absolute http\(s\) URL/],
    ["ftp site", { site: "ftp://example.com" }, /option "site" must use http or https/],
    ["site with password", { site: "https://u:p@example.com" }, /user name or password/],
    ["bad endpoint", { site: "https://e.com", endpoint: 3 }, /option "endpoint" must be/],
    ["endpoint true", { site: "https://e.com", endpoint: true }, /option "endpoint" must be/],
    [
      "relative webmention endpoint",
      { site: "https://e.com", webmentionEndpoint: "/webmention" },
      /option "webmentionEndpoint" must be an absolute/,
    ],
    [
      "bad receiver",
      { site: "https://e.com", receiver: "ftp://m.e" },
      /option "receiver" must use/,
    ],
    [
      "typo",
      { site: "https://e.com", contentSelecter: "main" },
      /"contentSelecter" is not a known/,
    ],
    ["empty selector", { site: "https://e.com", contentSelector: [] }, /"contentSelector"/],
    ["bad matcher", { site: "https://e.com", excludeLinks: [42] }, /"excludeLinks" must be a glob/],
    ["bad boolean", { site: "https://e.com", includeSameSite: "yes" }, /"includeSameSite"/],
    ["not an object", "https://e.com", /must be an object/],
  ];
  for (const [name, input, message] of bad) {
    it(`rejects ${name} with a message naming the package and option`, () => {
      assert.throws(
        () => resolveOptions(input, PKG),
        (error: unknown) =>
          error instanceof PingbackOptionsError &&
          error.message.startsWith(`[${PKG}]`) &&
          message.test(error.message),
      );
    });
  }

  it("always excludes 404 pages, also when the user adds exclusions", () => {
    const resolved = resolveOptions({ site: "https://e.com", exclude: "/drafts/**" }, PKG);
    assert.equal(resolved.exclude.length, 2);
  });
});
