import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  applyInsertion,
  finishBuild,
  formatBuildSummary,
  type PageResult,
  PingbackFileError,
  processPage,
} from "@static-pingback/core";
import { PageOffload, PageWorkerFailed } from "@static-pingback/core/offload";
import { type RenderOptions, renderPingbacks } from "@static-pingback/core/received";
import type { EleventyConfig } from "./eleventy-config.ts";
import { eleventyLog, PACKAGE_NAME } from "./log.ts";
import { type EleventyPingbackOptions, resolveEleventyOptions } from "./options.ts";
import { PageRecords } from "./page-records.ts";
import { isHtmlOutput, pageUrl, siteBase } from "./page-url.ts";
import { ReceivedData } from "./received-data.ts";

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
 * Eleventy plugin: injects `<link rel="pingback">` and extracts the post links of
 * every HTML page in one transform, writes manifest.json / outbox.json at the end of
 * the build, and renders received pingbacks (`{% pingbacks page.url %}`).
 */
export default function staticPingback(
  eleventyConfig: EleventyConfig,
  options: EleventyPingbackOptions,
): void {
  if (typeof eleventyConfig.versionCheck !== "function") {
    throw new Error(`[${PACKAGE_NAME}] needs Eleventy ${ELEVENTY_RANGE}`);
  }
  eleventyConfig.versionCheck(ELEVENTY_RANGE);
  const resolved = resolveEleventyOptions(options);
  const log = eleventyLog(eleventyConfig);
  const pages = new PageRecords();
  const received = new ReceivedData(resolved.received, log);
  if (resolved.received?.kind === "file") eleventyConfig.addWatchTarget(resolved.received.file);

  // Set at the start of each build: pathPrefix is final by then.
  let core = resolved.core;
  let toldEndpoint = false;
  // Page work goes to a worker thread (core's PageOffload).
  let offload: PageOffload | undefined;

  eleventyConfig.on("eleventy.before", async ({ incremental }) => {
    const { base, conflict } = siteBase(resolved.core.site, eleventyConfig.pathPrefix);
    core = { ...resolved.core, site: base };
    if (!toldEndpoint) {
      toldEndpoint = true;
      if (core.endpointIsDefault) {
        log.info(
          `advertising webmention.io's pingback endpoint ${core.endpoint} (set the "endpoint" option to use another; webmention.io accepts pingbacks only once they are enabled in its settings)`,
        );
      }
      if (conflict) {
        log.warn(
          `the "site" option's path (${resolved.core.site.pathname}) differs from Eleventy's pathPrefix (${eleventyConfig.pathPrefix}); page URLs use the site's`,
        );
      }
    }
    // One worker per build; in --serve/--watch it stays for the next rebuild.
    const workerOptions = PageOffload.cloneable({ ...resolved.shared, site: core.site });
    if (!offload && resolved.workerThread && PageOffload.usable(workerOptions)) {
      offload = new PageOffload(workerOptions, PACKAGE_NAME);
    }
    const warning = await pages.startBuild(incremental, core.stateDir, core.site.href);
    if (warning) log.warn(warning);
    await received.ensure();
  });

  eleventyConfig.addTransform("static-pingback", function (content) {
    const { outputPath, url, inputPath } = this.page;
    if (!isHtmlOutput(outputPath) || typeof url !== "string" || typeof content !== "string") {
      return content;
    }
    const absolute = pageUrl(core.site, url).href;
    const accept = (result: PageResult): string => {
      for (const warning of result.warnings) log.warn(`${inputPath} (${absolute}) ${warning}`);
      pages.record({ url: absolute, pingback: result.pingback, links: result.links });
      return result.html;
    };
    const skip = (error: unknown): string => {
      pages.forget(absolute);
      log.warn(
        `${inputPath}: could not process ${absolute}, skipped (${(error as Error).message})`,
      );
      return content;
    };
    const inline = (): string => {
      try {
        return accept(processPage(content, absolute, core));
      } catch (error) {
        return skip(error);
      }
    };
    const offloaded = offload?.process(content, absolute);
    if (!offloaded) return inline();
    return offloaded.then(
      // This worker was started without the manifest setup, so its answers carry links.
      (result) =>
        accept({
          ...result,
          links: result.links ?? [],
          html: applyInsertion(content, result.insertion),
        }),
      (error) => (error instanceof PageWorkerFailed ? inline() : skip(error)),
    );
  });

  eleventyConfig.on("eleventy.after", async ({ directories, runMode, outputMode, incremental }) => {
    received.endBuild();
    if (runMode === "build") {
      await offload?.close();
      offload = undefined;
    }
    if (outputMode !== "fs") return;
    const watching = runMode !== "build" || incremental;
    try {
      const finished = await finishBuild({
        pages: pages.values(),
        options: { ...core, stateDir: resolve(core.stateDir) },
        ...(resolved.previousManifest === undefined
          ? {}
          : { previousManifest: fromCwd(resolved.previousManifest) }),
        writeOutbox: !watching || resolved.writeOutboxWhenWatching,
        ...(resolved.publishManifest ? { publishDir: resolve(directories.output) } : {}),
      });
      for (const warning of finished.warnings) log.warn(warning);
      log.info(formatBuildSummary(finished));
    } catch (error) {
      if (error instanceof PingbackFileError) {
        throw new Error(
          `[${PACKAGE_NAME}] ${error.message}; manifest.json and outbox.json were left as they were`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  });

  // The configuration is about to be reloaded (a new plugin instance will follow).
  eleventyConfig.on("eleventy.reset", async () => {
    await offload?.close();
    offload = undefined;
  });

  // Received pingbacks, for the templates.
  const renderFor = (url: unknown, overrides?: unknown): string => {
    const extra =
      overrides !== null && typeof overrides === "object" ? (overrides as RenderOptions) : {};
    return renderPingbacks(received.for(url, core.site), { ...resolved.render, ...extra });
  };
  eleventyConfig.addShortcode("pingbacks", renderFor as (...args: never[]) => string);
  eleventyConfig.addFilter("pingbacksFor", ((url: unknown) => received.for(url, core.site)) as (
    ...args: never[]
  ) => unknown);
  eleventyConfig.addGlobalData("pingbacks", () => received.ensure());
}

/** Path options are relative to the project (the working directory); URLs stay. */
function fromCwd(pathOrUrl: string): string {
  return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : resolve(pathOrUrl);
}
