import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import starlight from "@astrojs/starlight";
import { type Manifest, processPageReference, resolveOptions } from "@static-pingback/core";
import { linkedPages } from "../../../test/support/manifest-pages.ts";
import staticPingback from "../src/index.ts";
import {
  buildSite,
  type FixtureBuild,
  fixtureRoot,
  readJson,
  workDir,
} from "./helpers/build-fixture.ts";

const EDIT_BASE = "https://github.com/example/docs/edit/main/";

describe("a real Starlight build", () => {
  let built: FixtureBuild;
  let manifest: Manifest;
  before(async () => {
    const work = await workDir("starlight");
    built = await buildSite(fixtureRoot("starlight"), work, {
      site: "https://docs.example.com",
      logLevel: "error",
      integrations: [
        starlight({
          title: "Docs",
          editLink: { baseUrl: EDIT_BASE },
          social: [{ icon: "github", label: "GitHub", href: "https://github.com/example/docs" }],
        }),
        staticPingback({ stateDir: path.join(work, ".pingback") }),
      ],
    });
    manifest = await readJson<Manifest>(path.join(built.stateDir, "manifest.json"));
  });

  it("takes links from the Markdown content only, not the edit link or the header", () => {
    assert.deepEqual(linkedPages(manifest.pages), {
      "https://docs.example.com/": {
        pingback: true,
        links: ["https://spec.example.org/pingback"],
      },
      "https://docs.example.com/404/": { pingback: false, links: [] },
      "https://docs.example.com/guides/setup/": {
        pingback: true,
        links: ["https://nodejs.example.org/download", "https://reference.example.com/api"],
      },
    });
  });

  it("needs the Starlight scope: the generic defaults would ping the repository", async () => {
    const html = await readFile(path.join(built.outDir, "guides/setup/index.html"), "utf8");
    assert.ok(html.includes(`href="${EDIT_BASE}src/content/docs/guides/setup.md"`));
    const generic = resolveOptions({ site: "https://docs.example.com/" }, "test");
    const links = processPageReference(
      html,
      "https://docs.example.com/guides/setup/",
      generic,
    ).links;
    assert.ok(
      links.some((link) => link.startsWith(EDIT_BASE)),
      "main holds the edit link",
    );
  });
});
