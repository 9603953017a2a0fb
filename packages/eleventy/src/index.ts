import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PingbackFileError } from "@static-pingback/core";
import { BuildSession } from "@static-pingback/core/build";
import { assertNodeVersion } from "@static-pingback/core/node-version";
import {
  BuildReceived,
  entriesForUrl,
  type ReceivedEntry,
  type RenderOptions,
  renderPingbacks,
} from "@static-pingback/core/received";
import type { EleventyAfterResult, EleventyConfig } from "./eleventy-config.ts";
import { eleventyLog, PACKAGE_NAME } from "./log.ts";
import { type EleventyPingbackOptions, resolveEleventyOptions } from "./options.ts";
import { isHtmlOutput, pageUrl, siteBase } from "./page-url.ts";

export type { EleventyConfig } from "./eleventy-config.ts";
export type { EleventyPingbackOptions, ResolvedEleventyOptions } from "./options.ts";
export { resolveEleventyOptions } from "./options.ts";

/** The Eleventy range this plugin declares (its peerDependency), checked at load. */
export const ELEVENTY_RANGE: string = (() => {
  // Same relative path from src/ and dist/.
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return pkg.peerDependencies["@11ty/eleventy"] as string;
})();

/**
 * From this many pages with the link elements inserted, the build says once that the
 * layout can write them: at 10,000 pages the copies were 8–10% of the build's peak memory.
 */
const MANY_COPIES = 5000;

// Eleventy 3 adds a plugin marked unique once: a second addPlugin (a theme or a shared
// config adding it again) is skipped, so no page gets two link elements and no two
// builds write the same state directory. The package name identifies it.
staticPingback.eleventyPackage = PACKAGE_NAME;
staticPingback.eleventyPluginOptions = { unique: true };

/**
 * Eleventy plugin: injects `<link rel="pingback">` and extracts the post links of
 * every HTML page in one transform, writes manifest.json / outbox.json at the end of
 * the build, and renders received pingbacks (`{% pingbacks page.url %}`).
 */
export default function staticPingback(
  eleventyConfig: EleventyConfig,
  options: EleventyPingbackOptions,
): void {
  // First: on an older Node a dependency fails later with a message that names neither.
  assertNodeVersion(PACKAGE_NAME);
  if (typeof eleventyConfig.versionCheck !== "function") {
    throw new Error(`[${PACKAGE_NAME}] needs Eleventy ${ELEVENTY_RANGE}`);
  }
  eleventyConfig.versionCheck(ELEVENTY_RANGE);
  const resolved = resolveEleventyOptions(options);
  const log = eleventyLog(eleventyConfig);
  const received = new BuildReceived(resolved.received, { warn: (message) => log.warn(message) });
  if (received.watchFile) eleventyConfig.addWatchTarget(received.watchFile);
  // Everything from a page's HTML to the manifest happens in core's build session.
  const session = new BuildSession({
    packageName: PACKAGE_NAME,
    pageCache: resolved.pageCache,
    previousManifest: resolved.previousManifest,
    writeOutboxWhenWatching: resolved.writeOutboxWhenWatching,
    log,
  });
  // Set at the start of each build: pathPrefix is final by then.
  let site = resolved.core.site;
  let toldConflict = false;
  let toldCopies = false;

  eleventyConfig.on("eleventy.before", async ({ incremental, runMode, outputMode }) => {
    const { base, conflict } = siteBase(resolved.core.site, eleventyConfig.pathPrefix);
    site = base;
    if (conflict && !toldConflict) {
      toldConflict = true;
      log.warn(
        `the "site" option's path (${resolved.core.site.pathname}) differs from Eleventy's pathPrefix (${eleventyConfig.pathPrefix}); page URLs use the site's`,
      );
    }
    await session.begin({
      options: { ...resolved.core, site: base },
      // A --serve/--watch run keeps its records apart from what `send` reads: it renders
      // what a deploy does not (drafts, in many starters), and must not plan pings from it.
      watch: runMode !== "build",
      incremental,
      // A page can be written before the worker has seen it only when it goes to a file
      // the session can correct afterwards.
      writesFiles: outputMode === "fs",
      workerOptions: resolved.workerThread ? { ...resolved.shared, site: base } : undefined,
    });
    await received.load(base.pathname);
  });

  eleventyConfig.addTransform("static-pingback", function (content) {
    const { outputPath, url, inputPath } = this.page;
    if (!isHtmlOutput(outputPath) || typeof url !== "string" || typeof content !== "string") {
      return content;
    }
    return session.transform({
      url: pageUrl(site, url),
      html: content,
      file: resolve(outputPath),
      label: inputPath,
    });
  });

  eleventyConfig.on("eleventy.after", async ({ directories, outputMode, results }) => {
    if (outputMode === "fs") await received.copyAvatars(resolve(directories.output));
    received.reset();
    try {
      const outcome = await session.finish({
        written: writtenPages(results),
        publishDir: resolved.publishManifest ? resolve(directories.output) : undefined,
        outputDir: resolve(directories.output),
        writeRecords: outputMode === "fs",
      });
      if (outcome && outcome.inserted >= MANY_COPIES && !toldCopies) {
        toldCopies = true;
        log.info(
          `inserted the link elements into ${outcome.inserted} pages, copying each; {% pingbackLinks %} in the layout's <head> writes them there instead and spares the copies (see "The link elements from your layout" in this plugin's README)`,
        );
      }
    } catch (error) {
      if (error instanceof PingbackFileError) {
        throw new Error(
          `[${PACKAGE_NAME}] ${error.message}; manifest.json and outbox.json were left as they were`,
          { cause: error },
        );
      }
      throw error;
    }
  });

  // The link elements, for a layout that puts them in its head itself: the transform
  // then hands each page back as Eleventy rendered it, with no copy of it made.
  eleventyConfig.addShortcode("pingbackLinks", function (this: {
    page?: { url?: unknown };
  }): string {
    const url = this?.page?.url;
    return typeof url === "string" ? session.linkElementsFor(pageUrl(site, url)) : "";
  } as (...args: never[]) => string);

  // The configuration is about to be reloaded (a new plugin instance will follow).
  eleventyConfig.on("eleventy.reset", () => session.close());

  // Received pingbacks, for the templates.
  const receivedFor = (url: unknown): ReceivedEntry[] =>
    typeof url === "string" || url instanceof URL ? entriesForUrl(received.entries, url, site) : [];
  // A function, not an arrow: Eleventy passes the page as `this`. Dates follow the page's
  // language when Eleventy's i18n plugin sets `page.lang`, unless `lang` is given.
  const renderFor = function (
    this: { page?: { lang?: unknown } } | undefined,
    url: unknown,
    overrides?: unknown,
  ): string {
    const extra =
      overrides !== null && typeof overrides === "object" ? (overrides as RenderOptions) : {};
    const pageLang = typeof this?.page?.lang === "string" ? { lang: this.page.lang } : {};
    return renderPingbacks(receivedFor(url), {
      ...resolved.render,
      ...pageLang,
      ...extra,
    });
  };
  eleventyConfig.addShortcode("pingbacks", renderFor as (...args: never[]) => string);
  eleventyConfig.addFilter("pingbacksFor", receivedFor as (...args: never[]) => unknown);
  eleventyConfig.addGlobalData("pingbacks", () => received.load());
}

/** What Eleventy wrote, by file: a page missing here was not written (a dry run). */
function writtenPages(results: EleventyAfterResult[] | undefined): Map<string, string> {
  const written = new Map<string, string>();
  for (const { outputPath, content } of results ?? []) {
    if (typeof outputPath === "string" && typeof content === "string") {
      written.set(resolve(outputPath), content);
    }
  }
  return written;
}

// CommonJS configs: `addPlugin(require("@static-pingback/eleventy"))` needs the plugin itself,
// not the module namespace. Node's require() of an ES module returns this export when present.
export { staticPingback as "module.exports" };
