import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Eleventy from "@11ty/eleventy";
import type { Manifest } from "@static-pingback/core";
import eleventyPingback from "@static-pingback/eleventy";
import staticPingback from "../src/index.ts";
import { buildSite, fixtureRoot, readJson, workDir } from "./helpers/build-fixture.ts";

const OPTIONS = { site: "https://example.com/", endpoint: "https://example.com/xmlrpc" };

/**
 * The same HTML through both adapters: Astro's output of the fixture (built without
 * the integration) becomes the input of an Eleventy site with the Eleventy plugin.
 */
describe("the Astro integration and the Eleventy plugin, same HTML", () => {
  let fromAstro: Manifest;
  let fromEleventy: Manifest;
  let eleventyWork: string;
  before(async () => {
    const astroWork = await workDir("same-astro");
    const astroState = path.join(astroWork, ".pingback");
    await buildSite(fixtureRoot("site"), astroWork, {
      site: OPTIONS.site,
      integrations: [staticPingback({ ...OPTIONS, stateDir: astroState })],
    });
    fromAstro = await readJson<Manifest>(path.join(astroState, "manifest.json"));

    const plain = await buildSite(fixtureRoot("site"), await workDir("same-plain"), {
      site: OPTIONS.site,
    });
    // Eleventy ignores input under node_modules, where workDir puts things.
    eleventyWork = await mkdtemp(path.join(tmpdir(), "sp-astro-same-eleventy-"));
    const input = path.join(eleventyWork, "src");
    await mkdir(input);
    await cp(plain.outDir, input, {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}_astro`) && !source.endsWith(".json"),
    });
    const eleventyState = path.join(eleventyWork, ".pingback");
    const eleventy = new Eleventy(input, path.join(eleventyWork, "_site"), {
      quietMode: true,
      config(config) {
        config.setTemplateFormats(["html"]);
        config.addPlugin(eleventyPingback, { ...OPTIONS, stateDir: eleventyState });
      },
    });
    await eleventy.write();
    fromEleventy = await readJson<Manifest>(path.join(eleventyState, "manifest.json"));
  });

  after(() => rm(eleventyWork, { recursive: true, force: true }));

  it("gives the same manifest, apart from the build time", () => {
    assert.ok(Object.keys(fromAstro.pages).length >= 4);
    assert.deepEqual({ ...fromEleventy, generatedAt: "" }, { ...fromAstro, generatedAt: "" });
  });
});
