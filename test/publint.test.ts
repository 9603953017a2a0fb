import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const packages = ["core", "eleventy", "astro", "cli", "receiver", "ci", "netlify"];

describe("published package metadata (publint)", () => {
  for (const name of packages) {
    it(`@static-pingback/${name} has no publint errors or warnings`, async () => {
      const dir = fileURLToPath(new URL(`../packages/${name}/`, import.meta.url));
      const pkg = JSON.parse(readFileSync(`${dir}package.json`, "utf8"));
      const { messages } = await publint({ pkgDir: dir, level: "warning", strict: true });
      const problems = messages.map((message) => formatMessage(message, pkg) ?? message.code);
      assert.deepEqual(problems, []);
    });
  }

  it("every package declares what a user needs to find and install it", () => {
    for (const name of packages) {
      const pkg = JSON.parse(
        readFileSync(new URL(`../packages/${name}/package.json`, import.meta.url), "utf8"),
      );
      for (const field of ["description", "license", "repository", "files", "exports", "engines"]) {
        assert.ok(pkg[field], `@static-pingback/${name} lacks "${field}"`);
      }
      assert.ok(pkg.keywords?.includes("pingback"), `@static-pingback/${name} keywords`);
    }
    const keywords = (name: string) =>
      JSON.parse(readFileSync(new URL(`../packages/${name}/package.json`, import.meta.url), "utf8"))
        .keywords as string[];
    assert.ok(keywords("eleventy").includes("eleventy-plugin"));
    assert.ok(keywords("astro").includes("astro-integration"));
  });
});
