import assert from "node:assert/strict";
import { test } from "node:test";
import type { Manifest } from "@static-pingback/core";
import { SiteIndex } from "../src/manifest/site-index.ts";
import { checkUri, normaliseUri } from "../src/uri.ts";

const manifest: Manifest = {
  version: 1,
  site: "https://site.example/",
  endpoint: "https://pings.example/xmlrpc",
  generatedAt: "2026-01-01T00:00:00.000Z",
  pages: {
    "https://site.example/posts/hello/": { pingback: true, links: [] },
    "https://site.example/about.html": { pingback: false, links: [] },
  },
};

const norm = (s: string) => {
  const c = checkUri(s);
  assert.ok(c.ok, s);
  return normaliseUri(c.url);
};

test("targets: enabled, not enabled, not a page, off-site; fragment and slash insensitive", () => {
  const index = new SiteIndex(manifest);
  for (const t of [
    "https://site.example/posts/hello/",
    "https://SITE.example:443/posts/hello/#comments",
    "https://site.example/posts/hello",
    "https://site.example/posts/./hello/index.html",
  ]) {
    assert.deepEqual(
      index.lookup(norm(t)),
      { kind: "enabled", canonical: "https://site.example/posts/hello/" },
      t,
    );
  }
  assert.equal(index.lookup(norm("https://site.example/about.html")).kind, "not-enabled");
  assert.equal(index.lookup(norm("https://site.example/drafts/secret/")).kind, "not-a-page");
  assert.equal(index.lookup(norm("https://site.example/posts/hello/?x=1")).kind, "not-a-page");
  assert.equal(index.lookup(norm("https://elsewhere.example/posts/hello/")).kind, "off-site");
  // The self-ping guard: one host name, whatever the scheme, case or trailing dot.
  assert.equal(index.isOwnSite(new URL("http://site.example/")), true);
  assert.equal(index.isOwnSite(new URL("https://Site.Example./posts/")), true);
  assert.equal(index.isOwnSite(new URL("https://site.example.org/")), false);
});

test("URI syntax checks", () => {
  for (const bad of [
    "",
    "/relative",
    "ftp://site.example/",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_",
    "https://user:pw@site.example/",
    "https://site.example/ a",
    "https://site.example/\n",
    `https://site.example/${"a".repeat(3000)}`,
    "http://",
  ]) {
    assert.equal(checkUri(bad).ok, false, bad);
  }
  assert.equal(checkUri("https://site.example/ok?q=1#f").ok, true);
});
