import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { UserConfig } from "@11ty/eleventy";
import { LAYOUT, trickyFiles } from "./fixture.ts";
import { build, captureLog, createProject, filesUnder, type Project } from "./helpers.ts";

const PINGBACK = '<link rel="pingback" href="https://blog.example/xmlrpc">';
const WEBMENTION = '<link rel="webmention" href="https://blog.example/webmention">';
const OPTIONS = {
  endpoint: "https://blog.example/xmlrpc",
  webmentionEndpoint: "https://blog.example/webmention",
};

/** A JavaScript template, which calls the shortcode as a method (or leaves it out). */
function jsPage(withShortcode: boolean): string {
  const links = withShortcode ? "this.pingbackLinks()" : '""';
  return `module.exports = class {
  data() { return { permalink: "/js-page/" }; }
  render() {
    return '<!doctype html><html><head><title>j</title>' + ${links} +
      '</head><body><article><a href="https://js.example/">j</a></article></body></html>';
  }
};
`;
}

/** The fixture blog; with the shortcode, `{% pingbackLinks %}` in its layout's head. */
function files(withShortcode: boolean): Record<string, string> {
  const files = trickyFiles();
  if (withShortcode) {
    files["_includes/layout.njk"] = LAYOUT.replace("</title>\n", "</title>\n{% pingbackLinks %}\n");
  }
  files["js-page.11ty.cjs"] = jsPage(withShortcode);
  return files;
}

/** Each page as rendered, before any transform: recorded by a transform added first. */
function recordRendered(rendered: Map<string, string>) {
  return (config: UserConfig) => {
    config.addGlobalData("slow", () => sleep(300)); // the worker loads before pages render
    config.addTransform("record", function (this: { page: { outputPath: unknown } }, content) {
      const { outputPath } = this.page;
      if (typeof outputPath === "string" && typeof content === "string") {
        rendered.set(resolve(outputPath), content);
      }
      return content;
    });
  };
}

const manifestPages = async (project: Project) =>
  (await project.readJson<{ pages: unknown }>(".pingback/manifest.json")).pages;
const count = (text: string, part: string) => text.split(part).length - 1;

describe("{% pingbackLinks %}: the layout writes the link elements", () => {
  it("pages come out as rendered, and the build reads the same links as when it inserts them", async () => {
    const withShortcode = await createProject(files(true));
    const inline = await createProject(files(true));
    const inserting = await createProject(files(false));
    try {
      const rendered = new Map<string, string>();
      const { lines } = await captureLog(() =>
        build(
          withShortcode,
          { ...OPTIONS, workerThread: true },
          { configure: recordRendered(rendered) },
        ),
      );
      const { lines: inlineLines } = await captureLog(() =>
        build(
          inline,
          { ...OPTIONS, workerThread: false },
          { configure: recordRendered(new Map()) },
        ),
      );
      const { lines: insertingLines } = await captureLog(() =>
        build(
          inserting,
          { ...OPTIONS, workerThread: true },
          { configure: recordRendered(new Map()) },
        ),
      );
      // A site this small is not told about the shortcode (that is for 5,000 pages and more).
      assert.deepEqual(
        insertingLines.filter((line) => line.includes("pingbackLinks")),
        [],
      );

      const written = await filesUnder(withShortcode.output);
      const pages = [...written].filter(([path]) => path.endsWith(".html"));
      assert.ok(pages.length >= 45, `${pages.length} pages`);
      for (const [path, html] of pages) {
        const before = rendered.get(resolve(withShortcode.output, path));
        // Nothing was inserted into a page the layout gave the elements: what Eleventy
        // rendered is what was written. The one page without the layout got them inserted.
        if (path === "headless/index.html") assert.notEqual(html, before);
        else assert.equal(html, before, path);
        const expected = path === "404.html" ? 0 : 1; // the 404 page does not take part
        assert.equal(count(html, PINGBACK), expected, path);
        assert.equal(count(html, WEBMENTION), expected, path);
      }
      assert.deepEqual(written, await filesUnder(inline.output));
      assert.deepEqual(await manifestPages(withShortcode), await manifestPages(inserting));
      assert.deepEqual(await manifestPages(withShortcode), await manifestPages(inline));
      // The page with a pingback link of its own in its body is told about, as before.
      const told = (log: string[]) =>
        log
          .filter((line) => line.includes("posts/declared"))
          .map((line) => line.replace(/^.*?src\//, ""));
      assert.equal(told(lines).length, 1, lines.join("\n"));
      assert.match(told(lines)[0] ?? "", /2 pingback link elements/);
      assert.deepEqual(told(lines), told(inlineLines));
    } finally {
      await withShortcode.remove();
      await inline.remove();
      await inserting.remove();
    }
  });
});

describe("a build that inserts into many pages", () => {
  /** 5,000 pages from one paginated template, through the layout given. */
  function manyPages(layout: string): Record<string, string> {
    return {
      "_includes/layout.njk": layout,
      "many.njk": `---\npagination:\n  data: items\n  size: 1\n  alias: n\npermalink: "/many/{{ n }}/"\nlayout: layout.njk\ntitle: Many\n---\n<p><a href="https://x{{ n }}.example/">x</a></p>\n`,
    };
  }
  const items = (config: UserConfig) =>
    config.addGlobalData("items", () => Array.from({ length: 5010 }, (_, n) => n));
  const told = (lines: string[]) => lines.filter((line) => line.includes("pingbackLinks"));

  it("tells once that the layout can write the link elements, and not when it does", async () => {
    const inserting = await createProject(manyPages(LAYOUT));
    const writing = await createProject(
      manyPages(LAYOUT.replace("</title>\n", "</title>\n{% pingbackLinks %}\n")),
    );
    try {
      const { lines } = await captureLog(() => build(inserting, {}, { configure: items }));
      assert.equal(told(lines).length, 1, lines.join("\n"));
      assert.match(told(lines)[0] ?? "", /into 5008 pages, copying each/);
      const { lines: quiet } = await captureLog(() => build(writing, {}, { configure: items }));
      assert.deepEqual(told(quiet), []);
      assert.match(
        await writing.read("_site/many/5009/index.html"),
        /<title>Many<\/title>\n<link rel="pingback" href="https:\/\/blog.example\/xmlrpc">\n/,
      );
    } finally {
      await inserting.remove();
      await writing.remove();
    }
  });
});
