import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Manifest } from "@static-pingback/core";
import { build } from "astro";
import { linkedPage } from "../../../test/support/manifest-pages.ts";
import { captureOutput, readJson, workDir } from "./helpers/build-fixture.ts";

const example = fileURLToPath(new URL("../../../examples/astro-blog/", import.meta.url));

/** The example blog, built as `astro build` would, with its own config file. */
describe("examples/astro-blog", () => {
  let out: string;
  let manifest: Manifest;
  before(async () => {
    const work = await workDir("example");
    out = path.join(work, "dist");
    await captureOutput(() => build({ root: example, outDir: out, logLevel: "error" }));
    manifest = await readJson<Manifest>(path.join(example, ".pingback/manifest.json"));
  });

  it("records the Markdown and MDX posts' links, not the nav, footer or feed links", () => {
    assert.deepEqual(
      linkedPage(manifest.pages["https://blog.example.com/posts/reading-the-pingback-spec/"]),
      {
        pingback: true,
        links: [
          "https://alice.example.org/2024/04/a-pingback-receiver/",
          "https://bob.example.com/notes/pingback-clients",
          "https://www.hixie.ch/specs/pingback/pingback",
        ],
      },
    );
    assert.deepEqual(
      linkedPage(manifest.pages["https://blog.example.com/posts/static-sites-and-pingback/"]),
      {
        pingback: true,
        links: ["https://carol.example.net/mdx-and-links", "https://webmention.io/"],
      },
    );
    const all = Object.values(manifest.pages).flatMap((page) => page.links);
    for (const chrome of ["astro.build", "github.com", "social.example.net", "feeds.example.net"]) {
      assert.ok(!all.some((link) => link.includes(chrome)), chrome);
    }
  });

  it("advertises webmention.io's endpoint by default and shows the sample pingbacks", async () => {
    const html = await readFile(
      path.join(out, "posts/static-sites-and-pingback/index.html"),
      "utf8",
    );
    assert.ok(
      html.includes('<link rel="pingback" href="https://webmention.io/blog.example.com/xmlrpc">'),
    );
    assert.match(
      html,
      /<section class="pingbacks" data-no-pingback>.*Re: Static sites and Pingback.*<\/section>/s,
    );
    assert.match(
      html,
      /<li class="pingbacks__item h-cite"><a class="pingbacks__title u-url p-name" href="[^"]+" hreflang="de" lang="de">/,
    );
  });
});
