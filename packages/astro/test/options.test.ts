import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { PingbackOptionsError } from "@static-pingback/core";
import type { AstroIntegrationLogger } from "astro";
import { staticPingback } from "../src/integration.ts";
import { resolveAstroOptions } from "../src/options.ts";

const astro = { site: "https://example.com", base: "/", integrations: [] };

describe("resolveAstroOptions", () => {
  it("takes the site from Astro's site and base, and defaults the endpoint", () => {
    const resolved = resolveAstroOptions(undefined, { ...astro, base: "/docs" });
    assert.ok(resolved.core);
    assert.equal(resolved.core.site.href, "https://example.com/docs/");
    assert.equal(resolved.core.endpoint, "https://webmention.io/example.com/xmlrpc");
    assert.equal(resolved.core.endpointIsDefault, true);
    assert.equal(resolved.publishManifest, true);
    assert.equal(resolved.pageCache, true);
    assert.equal(resolved.concurrency, 8);
  });

  it("resolves no core options (skip) when there is no site at all, but still checks the rest", () => {
    const noSite = { ...astro, site: undefined };
    assert.equal(resolveAstroOptions({}, noSite).core, undefined);
    assert.equal(resolveAstroOptions({ site: "" }, noSite).core, undefined);
    assert.throws(() => resolveAstroOptions({ endpoint: "nope" }, noSite), /option "endpoint"/);
    assert.throws(() => resolveAstroOptions({ concurrency: 1.5 }, noSite), /option "concurrency"/);
  });

  it("lets the site option win over Astro's", () => {
    const resolved = resolveAstroOptions({ site: "https://other.example/x/" }, astro);
    assert.equal(resolved.core?.site.href, "https://other.example/x/");
  });

  it("starts stateDir and previousManifest at Astro's project root", () => {
    const root = new URL("file:///srv/site/");
    const resolved = resolveAstroOptions(
      { previousManifest: "old/manifest.json" },
      {
        ...astro,
        root,
      },
    );
    assert.equal(resolved.core?.stateDir, fileURLToPath(new URL(".pingback", root)));
    assert.equal(resolved.previousManifest, fileURLToPath(new URL("old/manifest.json", root)));
  });

  it("resolves `received` with the site, and without one (a file needs none)", () => {
    const withSite = resolveAstroOptions({ received: "webmention.io" }, astro).received;
    assert.equal(withSite?.kind === "webmention.io" && withSite.domain, "example.com");
    const noSite = { ...astro, site: undefined };
    assert.equal(resolveAstroOptions({}, noSite).received, undefined);
    const file = resolveAstroOptions({ received: "data/pingbacks.json" }, noSite).received;
    assert.equal(file?.kind, "file");
    assert.throws(
      () =>
        resolveAstroOptions({ received: { file: "a.json", url: "https://x.example/" } }, noSite),
      /option "received"/,
    );
  });

  it("rejects bad options with a message naming the package and the option", () => {
    const cases: [unknown, string][] = [
      [{ endpoint: "ftp://x" }, "endpoint"],
      [{ concurrency: 0 }, "concurrency"],
      [{ publishManifest: "yes" }, "publishManifest"],
      [{ pageCache: 1 }, "pageCache"],
      [{ previousManifest: 3 }, "previousManifest"],
      [{ contentSelectr: "main" }, "contentSelectr"],
      ["main", "(options)"],
    ];
    for (const [input, option] of cases) {
      assert.throws(
        () => resolveAstroOptions(input, astro),
        (error: unknown) =>
          error instanceof PingbackOptionsError &&
          error.option === option &&
          error.message.startsWith("[@static-pingback/astro]"),
        option,
      );
    }
  });

  it("scopes to Starlight's content container when Starlight is used and no selector is given", () => {
    const starlight = { ...astro, integrations: [{ name: "@astrojs/starlight" }] };
    const scoped = resolveAstroOptions({}, starlight);
    assert.equal(scoped.starlightScope, true);
    assert.equal(scoped.core?.contentSelector[0], ".sl-markdown-content");
    const own = resolveAstroOptions({ contentSelector: "main" }, starlight);
    assert.equal(own.starlightScope, false);
    assert.deepEqual(own.core?.contentSelector, ["main"]);
  });

  it("names every option of the integration and the nearest one for a typo", () => {
    assert.throws(() => resolveAstroOptions({ recieved: "data/pingbacks.json" }, astro), {
      message:
        '[@static-pingback/astro] option "recieved" is not a known option. Did you mean "received"? Known options: site, receiver, endpoint, webmentionEndpoint, contentSelector, include, exclude, excludeLinks, includeSameSite, stateDir, previousManifest, publishManifest, workerThread, pageCache, received, concurrency',
    });
  });
});

describe("staticPingback()", () => {
  it("logs a bad option once prefixed (Astro's logger adds the name) and stops the build", () => {
    const integration = staticPingback({ endpont: "https://e.com/xmlrpc" } as never);
    const logged: string[] = [];
    const logger = {
      error: (line: string) => logged.push(line),
    } as unknown as AstroIntegrationLogger;
    const config = {
      site: "https://example.com",
      base: "/",
      root: new URL("file:///tmp/site/"),
      trailingSlash: "ignore",
      build: { format: "directory" },
      integrations: [],
    };
    const hook = integration.hooks["astro:config:done"] as (options: unknown) => void;
    assert.throws(
      () => hook({ config, logger }),
      /^\w+: \[@static-pingback\/astro\] option "endpont"/,
    );
    assert.equal(logged.length, 1);
    assert.match(
      logged[0] as string,
      /^option "endpont" is not a known option\. Did you mean "endpoint"\?/,
    );
  });

  it("stops on a Node older than the floor before anything else", () => {
    const real = Object.getOwnPropertyDescriptor(process.versions, "node") as PropertyDescriptor;
    Object.defineProperty(process.versions, "node", { ...real, value: "22.13.0" });
    try {
      assert.throws(
        () => staticPingback(),
        /^\w+: \[@static-pingback\/astro\] needs Node\.js 22\.19\.0 or newer, found 22\.13\.0\./,
      );
    } finally {
      Object.defineProperty(process.versions, "node", real);
    }
  });
});
