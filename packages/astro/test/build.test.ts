import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import sitemap from "@astrojs/sitemap";
import type { Manifest, Outbox } from "@static-pingback/core";
import { explainBuild } from "@static-pingback/core/explain";
import type { AstroInlineConfig } from "astro";
import { linkedPages } from "../../../test/support/manifest-pages.ts";
import staticPingback from "../src/index.ts";
import {
  buildSite,
  type FixtureBuild,
  fixtureRoot,
  listFiles,
  readJson,
  workDir,
} from "./helpers/build-fixture.ts";

const ENDPOINT = "https://pb.example.net/xmlrpc?site=a&b=c";
const LINK_ELEMENT = '<link rel="pingback" href="https://pb.example.net/xmlrpc?site=a&amp;b=c">';
const root = fixtureRoot("site");

/** Builds the fixture with the integration (and Astro's sitemap, whose URLs are the oracle). */
async function buildWithPingback(config: AstroInlineConfig): Promise<FixtureBuild> {
  const work = await workDir("site");
  return buildSite(root, work, {
    site: "https://example.com",
    ...config,
    integrations: [
      sitemap(),
      staticPingback({ endpoint: ENDPOINT, stateDir: path.join(work, ".pingback") }),
    ],
  });
}

async function sitemapUrls(outDir: string): Promise<string[]> {
  const xml = await readFile(path.join(outDir, "sitemap-0.xml"), "utf8");
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1] as string).sort();
}

function manifestOf(build: FixtureBuild): Promise<Manifest> {
  return readJson<Manifest>(path.join(build.stateDir, "manifest.json"));
}

/** The sitemap leaves error pages out; the manifest lists them, not enabled. */
async function enabledPages(build: FixtureBuild): Promise<string[]> {
  const { pages } = await manifestOf(build);
  return Object.keys(pages).filter((url) => pages[url]?.pingback);
}

describe("astro build, build.format directory, no base", () => {
  let plain: FixtureBuild;
  let built: FixtureBuild;
  before(async () => {
    // A redirect from the config: Astro writes an HTML page for it, not one of ours.
    const redirects = { "/old-post": "/posts/first/" };
    plain = await buildSite(root, await workDir("plain"), {
      site: "https://example.com",
      redirects,
    });
    built = await buildWithPingback({ redirects });
  });

  it("inserts exactly the spec's link element once into each page's head, and nothing else", async () => {
    const pages = [
      "index.html",
      "posts/first/index.html",
      "posts/second/index.html",
      "headless/index.html",
    ];
    for (const page of pages) {
      const before = await readFile(path.join(plain.outDir, page), "utf8");
      const after = await readFile(path.join(built.outDir, page), "utf8");
      assert.equal(after.split(LINK_ELEMENT).length, 2, `${page}: one link element`);
      // A page with no head gets the element wrapped in one.
      const inserted = before.includes("<head>") ? LINK_ELEMENT : `<head>${LINK_ELEMENT}</head>`;
      assert.equal(after.replace(inserted, ""), before, `${page}: other bytes unchanged`);
      const at = after.indexOf(LINK_ELEMENT);
      assert.ok(at > after.indexOf("<head>") && at < after.indexOf("</head>"), `${page}: in head`);
    }
  });

  it("gives a page without a <head> one", async () => {
    const html = await readFile(path.join(built.outDir, "headless/index.html"), "utf8");
    assert.match(html, /^<!DOCTYPE html><head><link rel="pingback" href="[^"]+"><\/head><p>/);
  });

  it("leaves the 404 page, redirects, endpoints and every other file byte-identical", async () => {
    const ours = new Set([
      "index.html",
      "posts/first/index.html",
      "posts/second/index.html",
      "headless/index.html",
    ]);
    const added = new Set(["pingback-manifest.json", "sitemap-0.xml", "sitemap-index.xml"]);
    const plainFiles = await listFiles(plain.outDir);
    assert.ok(plainFiles.includes("old-post/index.html") && plainFiles.includes("api/data.json"));
    assert.deepEqual(
      (await listFiles(built.outDir)).filter((file) => !added.has(file)),
      plainFiles,
    );
    for (const file of plainFiles.filter((name) => !ours.has(name))) {
      assert.deepEqual(
        await readFile(path.join(built.outDir, file)),
        await readFile(path.join(plain.outDir, file)),
        file,
      );
    }
  });

  it("writes build-record.json, and explain reads the built pages back through it", async () => {
    const explanation = await explainBuild({ stateDir: built.stateDir });
    assert.deepEqual(explanation.notes, []);
    const { pages } = await manifestOf(built);
    for (const page of explanation.pages.filter((each) => each.enabled)) {
      assert.ok(page.file?.startsWith(built.outDir), `${page.url}: its built file is found`);
      assert.deepEqual(page.notes, [], page.url);
      const inManifest = (page.links ?? [])
        .filter((link) => link.reason === "in-manifest")
        .map((link) => link.target);
      assert.deepEqual([...new Set(inManifest)].sort(), pages[page.url]?.links, page.url);
    }
  });

  it("records each page's post-content links, not nav, footer or same-site links", async () => {
    const manifest = await manifestOf(built);
    assert.equal(manifest.site, "https://example.com/");
    assert.equal(manifest.endpoint, ENDPOINT);
    assert.deepEqual(linkedPages(manifest.pages), {
      "https://example.com/": {
        pingback: true,
        links: ["https://home.example.org/page?x=1&y=2"],
      },
      "https://example.com/404/": { pingback: false, links: [] },
      "https://example.com/headless/": { pingback: true, links: ["https://erin.example.com/"] },
      "https://example.com/posts/first/": {
        pingback: true,
        links: ["https://alice.example.com/post/1", "https://bob.example.org/notes/2?ref=a"],
      },
      "https://example.com/posts/second/": {
        pingback: true,
        links: ["https://carol.example.net/a/b", "https://dave.example.com/x"],
      },
    });
  });

  it("uses the page URLs Astro's own sitemap publishes", async () => {
    assert.deepEqual(await enabledPages(built), await sitemapUrls(built.outDir));
  });

  it("publishes a copy of the manifest, and a baseline outbox on a first build", async () => {
    const manifest = await readFile(path.join(built.stateDir, "manifest.json"), "utf8");
    const published = await readFile(path.join(built.outDir, "pingback-manifest.json"), "utf8");
    assert.equal(published, manifest);
    const outbox = await readJson<Outbox>(path.join(built.stateDir, "outbox.json"));
    assert.equal(outbox.previousGeneratedAt, null);
    // A first build lists no pair: the manifest's pairs are the baseline.
    assert.deepEqual([outbox.added, outbox.removed, outbox.pagesAdded], [[], [], []]);
  });
});

describe("astro build, build.format file, trailingSlash never, base /blog", () => {
  let built: FixtureBuild;
  before(async () => {
    built = await buildWithPingback({
      base: "/blog",
      trailingSlash: "never",
      build: { format: "file" },
    });
  });

  it("keys pages by Astro's URLs under the base path", async () => {
    const manifest = await manifestOf(built);
    assert.equal(manifest.site, "https://example.com/blog/");
    assert.deepEqual(Object.keys(manifest.pages), [
      "https://example.com/blog/",
      "https://example.com/blog/404",
      "https://example.com/blog/headless",
      "https://example.com/blog/posts/first",
      "https://example.com/blog/posts/second",
    ]);
    assert.deepEqual(await enabledPages(built), await sitemapUrls(built.outDir));
  });

  it("rewrites the .html files Astro wrote", async () => {
    for (const page of ["index.html", "posts/first.html", "posts/second.html", "headless.html"]) {
      const html = await readFile(path.join(built.outDir, page), "utf8");
      assert.equal(html.split(LINK_ELEMENT).length, 2, page);
    }
  });
});

describe("astro build, build.format directory, trailingSlash always, base /docs/", () => {
  let built: FixtureBuild;
  before(async () => {
    built = await buildWithPingback({ base: "/docs/", trailingSlash: "always" });
  });

  it("keys pages by Astro's URLs, with trailing slashes", async () => {
    const manifest = await manifestOf(built);
    assert.deepEqual(Object.keys(manifest.pages), [
      "https://example.com/docs/",
      "https://example.com/docs/404/",
      "https://example.com/docs/headless/",
      "https://example.com/docs/posts/first/",
      "https://example.com/docs/posts/second/",
    ]);
    assert.deepEqual(await enabledPages(built), await sitemapUrls(built.outDir));
  });
});

describe("astro build, build.format preserve", () => {
  let built: FixtureBuild;
  before(async () => {
    const work = await workDir("preserve");
    built = await buildSite(fixtureRoot("preserve"), work, {
      site: "https://example.com",
      build: { format: "preserve" },
      integrations: [
        sitemap(),
        staticPingback({ endpoint: ENDPOINT, stateDir: path.join(work, ".pingback") }),
      ],
    });
  });

  it("finds about.html and guide/index.html, and names (and encodes) them as the sitemap does", async () => {
    const manifest = await manifestOf(built);
    assert.deepEqual(linkedPages(manifest.pages), {
      "https://example.com/": { pingback: true, links: ["https://index.example.org/"] },
      "https://example.com/about": { pingback: true, links: ["https://about.example.org/"] },
      "https://example.com/caf%C3%A9%20au%20lait": {
        pingback: true,
        links: ["https://cafe.example.org/"],
      },
      "https://example.com/guide": { pingback: true, links: ["https://guide-index.example.org/"] },
    });
    assert.deepEqual(await enabledPages(built), await sitemapUrls(built.outDir));
    for (const page of ["index.html", "about.html", "guide/index.html", "café au lait.html"]) {
      const html = await readFile(path.join(built.outDir, page), "utf8");
      assert.equal(html.split(LINK_ELEMENT).length, 2, page);
    }
  });
});
