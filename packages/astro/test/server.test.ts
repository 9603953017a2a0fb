import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import node from "@astrojs/node";
import type { Manifest } from "@static-pingback/core";
import { linkedPages } from "../../../test/support/manifest-pages.ts";
import staticPingback from "../src/index.ts";
import {
  buildSite,
  captureOutput,
  fixtureRoot,
  readJson,
  workDir,
} from "./helpers/build-fixture.ts";

describe("a site with an on-demand route (Node adapter)", () => {
  let work: string;
  let output: string;
  let manifest: Manifest;
  before(async () => {
    work = await workDir("server");
    ({ output } = await captureOutput(() =>
      buildSite(fixtureRoot("server"), work, {
        site: "https://example.com",
        logLevel: "info",
        adapter: node({ mode: "standalone" }),
        integrations: [
          staticPingback({
            endpoint: "https://example.com/xmlrpc",
            stateDir: path.join(work, ".pingback"),
          }),
        ],
      }),
    ));
    manifest = await readJson<Manifest>(path.join(work, ".pingback/manifest.json"));
  });

  it("processes the prerendered pages in the client directory", async () => {
    assert.deepEqual(linkedPages(manifest.pages), {
      "https://example.com/": { pingback: true, links: ["https://static.example.org/"] },
    });
    const html = await readFile(path.join(work, "dist/client/index.html"), "utf8");
    assert.ok(html.includes('<link rel="pingback" href="https://example.com/xmlrpc">'));
  });

  it("says once that on-demand routes are left out", () => {
    const lines = output.split("\n").filter((line) => line.includes("on-demand"));
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /1 on-demand \(server-rendered\) route\(s\) left out.*\/live/);
  });
});
