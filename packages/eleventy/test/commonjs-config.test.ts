/**
 * A CommonJS Eleventy config (a project without "type": "module"), built by Eleventy's own
 * command: `addPlugin(require("@static-pingback/eleventy"), …)` must get the plugin itself.
 * Runs the built package (dist/), as a user's project would.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, realpath, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createProject } from "./helpers.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

const CONFIG = `// eleventy.config.cjs, as a CommonJS project writes it
module.exports = function (eleventyConfig) {
  eleventyConfig.addPlugin(require("@static-pingback/eleventy"), {
    site: "https://blog.example",
    endpoint: "https://blog.example/xmlrpc",
    workerThread: false,
  });
  return { dir: { input: "src", output: "_site" } };
};
`;

const LAYOUT = `<!doctype html><html lang="en"><head><title>{{ title }}</title></head>
<body><article class="h-entry"><div class="e-content">{{ content | safe }}</div></article>
{% pingbacks page.url %}</body></html>
`;

describe("Eleventy plugin: a CommonJS config", () => {
  it("require() gives the plugin itself, and a build with it injects and writes the manifest", async () => {
    const project = await createProject({
      "_includes/layout.njk": LAYOUT,
      "posts/first.md":
        "---\nlayout: layout.njk\ntitle: First\n---\nSee [Alice](https://alice.example/a).\n",
    });
    try {
      const modules = join(project.root, "node_modules");
      const eleventyDir = await realpath(join(packageDir, "node_modules/@11ty/eleventy"));
      for (const [name, target] of [
        ["@static-pingback/eleventy", packageDir],
        ["@11ty/eleventy", eleventyDir],
      ] as const) {
        await mkdir(dirname(join(modules, name)), { recursive: true });
        await symlink(target, join(modules, name), "dir");
      }
      await writeFile(
        join(project.root, "package.json"),
        '{ "name": "cjs-site", "private": true }\n',
      );
      await writeFile(join(project.root, "eleventy.config.cjs"), CONFIG);

      await promisify(execFile)(
        process.execPath,
        [join(eleventyDir, "cmd.cjs"), "--config=eleventy.config.cjs", "--quiet"],
        { cwd: project.root, env: { ...process.env, FORCE_COLOR: "0" } },
      );

      const html = await project.read("_site/posts/first/index.html");
      assert.match(html, /<head><link rel="pingback" href="https:\/\/blog\.example\/xmlrpc">/);
      const manifest = await project.readJson<{ pages: Record<string, { links: string[] }> }>(
        ".pingback/manifest.json",
      );
      assert.deepEqual(manifest.pages["https://blog.example/posts/first/"]?.links, [
        "https://alice.example/a",
      ]);
    } finally {
      await project.remove();
    }
  });
});
