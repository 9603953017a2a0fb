import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  applyInsertion,
  formatBuildSummary,
  isPageEnabled,
  linksOutsideArticle,
  PingbackFileError,
  predictInsertion,
  processPage,
} from "@static-pingback/core";
import { assertNodeVersion } from "@static-pingback/core/node-version";
import {
  type BuildPage,
  finishPages,
  PageOffload,
  PageWorkerFailed,
} from "@static-pingback/core/offload";
import { type RenderOptions, renderPingbacks } from "@static-pingback/core/received";
import type { EleventyAfterResult, EleventyConfig } from "./eleventy-config.ts";
import { eleventyLog, PACKAGE_NAME } from "./log.ts";
import { type OffloadedPage, settlePage } from "./offloaded-pages.ts";
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
/** A page in the transform, for the page worker. */
interface TransformedPage {
  content: string;
  address: URL;
  /** Its absolute URL, as a string. */
  absolute: string;
  inputPath: string;
  outputPath: string;
}

// Eleventy 3 adds a plugin marked unique once: a second addPlugin (a theme or a shared
// config adding it again) is skipped, so no page gets two link elements and no two
// builds write the same state directory. The package name identifies it.
staticPingback.eleventyPackage = PACKAGE_NAME;
staticPingback.eleventyPluginOptions = { unique: true };

/**
 * Where --serve and --watch runs write their manifest (and outbox, with
 * writeOutboxWhenWatching), under stateDir: never the files `send` reads.
 */
const WATCH_RECORDS_DIR = "watch";

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
  const pages = new PageRecords();
  const received = new ReceivedData(resolved.received, log);
  if (resolved.received?.kind === "file") eleventyConfig.addWatchTarget(resolved.received.file);

  // Set at the start of each build: pathPrefix is final by then.
  let core = resolved.core;
  let toldEndpoint = false;
  // Page work goes to a worker thread (core's PageOffload).
  let offload: PageOffload | undefined;
  // Pages returned before the worker answered, checked at the end of the build.
  let offloaded: OffloadedPage[] = [];
  let writesFiles = false;
  // The directory this run's manifest and outbox go to (see WATCH_RECORDS_DIR).
  let records = resolved.core.stateDir;

  eleventyConfig.on("eleventy.before", async ({ incremental, runMode, outputMode }) => {
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
    // A page can be written before the worker has seen it only when it goes to a file
    // this plugin can correct afterwards.
    writesFiles = outputMode === "fs";
    offloaded = [];
    if (!offload && resolved.workerThread)
      offload = startWorker(runMode === "build" && !incremental);
    // A --serve/--watch run keeps its records apart from what `send` reads: it renders
    // what a deploy does not (drafts, in many starters), and must not plan pings from it.
    records = runMode === "build" ? core.stateDir : join(core.stateDir, WATCH_RECORDS_DIR);
    const warning = await pages.startBuild(incremental, records, core.site.href);
    if (warning) log.warn(warning);
    await received.ensure();
  });

  const previousManifestPath = (): string | undefined =>
    resolved.previousManifest === undefined ? undefined : fromCwd(resolved.previousManifest);

  /**
   * The page worker. In a one-off full build it also keeps the links and writes the
   * manifest (it reads the previous one while Eleventy renders); in --serve, --watch and
   * incremental runs it stays for the next rebuild and sends the links back.
   */
  const startWorker = (writesManifest: boolean): PageOffload | undefined => {
    const workerOptions = PageOffload.cloneable({ ...resolved.shared, site: core.site });
    if (!PageOffload.usable(workerOptions)) return undefined;
    const previousManifest = previousManifestPath();
    const manifest = writesManifest
      ? {
          stateDir: resolve(core.stateDir),
          previousManifest,
          // The cache goes with the manifest in stateDir: only when that is the one diffed against.
          pageCache: resolved.pageCache && previousManifest === undefined,
        }
      : undefined;
    return new PageOffload(workerOptions, PACKAGE_NAME, manifest ? { manifest } : {});
  };

  eleventyConfig.addTransform("static-pingback", function (content) {
    const { outputPath, url, inputPath } = this.page;
    if (!isHtmlOutput(outputPath) || typeof url !== "string" || typeof content !== "string") {
      return content;
    }
    const address = pageUrl(core.site, url);
    const absolute = address.href;
    const skip = (error: unknown): string => {
      skipPage(inputPath, absolute, error as Error);
      return content;
    };
    const inline = (): string => {
      try {
        const { html, pingback, links, scope, warnings } = processPage(content, address, core);
        const outsideArticle = linksOutsideArticle({ scope, links }, core);
        recordPage(inputPath, { url: absolute, pingback, links, outsideArticle }, warnings);
        return html;
      } catch (error) {
        return skip(error);
      }
    };
    if (!offload) return inline();
    const worker = offload;
    const page: TransformedPage = { content, address, absolute, inputPath, outputPath };
    // The worker tells which pages the page cache holds while Eleventy renders, long
    // before the transforms run; a small site's first pages may wait a moment for it.
    if (!worker.unchangedIsKnown) {
      return worker.unchangedKnown.then(() => offloadPage(worker, page, inline, skip));
    }
    return offloadPage(worker, page, inline, skip);
  });

  /**
   * A page for the worker: taken from the page cache when unchanged; else returned at
   * once when its insertion was predicted (settled at the end of the build), or when
   * the worker answers.
   */
  const offloadPage = (
    worker: PageOffload,
    { content, address, absolute, inputPath, outputPath }: TransformedPage,
    inline: () => string,
    skip: (error: unknown) => string,
  ): string | Promise<string> => {
    if (!isPageEnabled(address, core)) return inline(); // not taking part: nothing to find
    const file = resolve(outputPath);
    const unchanged = worker.lookUp(content, absolute);
    if (unchanged) {
      recordPage(
        inputPath,
        { url: absolute, pingback: unchanged.pingback, unchanged: true, file },
        [],
      );
      return applyInsertion(content, unchanged.insertion);
    }
    // Where the head tells where the link element goes, the page is returned at once
    // and the worker's whole-page answer is checked at the end of the build.
    const predicted = writesFiles ? predictInsertion(content, address, core) : undefined;
    if (predicted === null) return inline();
    const answer = worker.process(content, absolute);
    if (!answer) return inline();
    const job = worker.lastId;
    if (predicted) {
      offloaded.push({
        url: absolute,
        inputPath,
        outputPath: file,
        sent: predicted,
        job,
        result: answer.catch((error: Error) => error),
      });
      return applyInsertion(content, predicted);
    }
    return answer.then(
      ({ pingback, links, outsideArticle, warnings, insertion }) => {
        recordPage(
          inputPath,
          links
            ? { url: absolute, pingback, links, outsideArticle }
            : { url: absolute, pingback, job, file },
          warnings,
        );
        return applyInsertion(content, insertion);
      },
      (error) => (error instanceof PageWorkerFailed ? inline() : skip(error)),
    );
  };

  eleventyConfig.on(
    "eleventy.after",
    async ({ directories, runMode, outputMode, incremental, results }) => {
      received.endBuild();
      const worker = offload;
      try {
        await settleOffloaded(results);
        if (outputMode !== "fs") return;
        const watching = runMode !== "build" || incremental;
        const finished = await finishPages({
          pages: pages.values(),
          options: { ...core, stateDir: resolve(records) },
          worker: worker?.keepsLinks ? worker : undefined,
          previousManifest: previousManifestPath(),
          writeOutbox: !watching || resolved.writeOutboxWhenWatching,
          publishDir: resolved.publishManifest ? resolve(directories.output) : undefined,
          outputDir: resolve(directories.output),
        });
        for (const warning of finished.warnings) log.warn(warning);
        log.info(formatBuildSummary(finished));
      } catch (error) {
        if (error instanceof PingbackFileError) {
          throw new Error(
            `[${PACKAGE_NAME}] ${error.message}; manifest.json and outbox.json were left as they were`,
            { cause: error },
          );
        }
        throw error;
      } finally {
        // A one-off build ends its worker; --serve and --watch keep it for the next rebuild.
        if (runMode === "build") {
          await worker?.close();
          if (offload === worker) offload = undefined;
        }
      }
    },
  );

  /** Checks the worker's answers for the pages the transform returned at once. */
  const settleOffloaded = async (results: EleventyAfterResult[] | undefined): Promise<void> => {
    const settling = offloaded;
    offloaded = [];
    if (settling.length === 0) return;
    // What Eleventy wrote, by file: a page missing here was not written (a dry run).
    const written = new Map<string, string>();
    for (const { outputPath, content } of results ?? []) {
      if (typeof outputPath === "string" && typeof content === "string") {
        written.set(resolve(outputPath), content);
      }
    }
    const settled = await Promise.all(
      settling.map((page) => settlePage(page, core, written.get(page.outputPath))),
    );
    for (const [index, outcome] of settled.entries()) {
      const { url, inputPath } = settling[index] as OffloadedPage;
      if (outcome.kind === "skipped") skipPage(inputPath, url, outcome.error);
      else recordPage(inputPath, outcome.page, outcome.warnings);
    }
  };

  /** A processed page into the manifest, its warnings into the log. */
  const recordPage = (inputPath: string, page: BuildPage, warnings: readonly string[]): void => {
    for (const warning of warnings) log.warn(`${inputPath} (${page.url}) ${warning}`);
    pages.record(page);
  };

  /** A page that could not be processed: reported with its input path, left out. */
  const skipPage = (inputPath: string, url: string, error: Error): void => {
    pages.forget(url);
    log.warn(`${inputPath}: could not process ${url}, skipped (${error.message})`);
  };

  // The configuration is about to be reloaded (a new plugin instance will follow).
  eleventyConfig.on("eleventy.reset", async () => {
    await offload?.close();
    offload = undefined;
  });

  // Received pingbacks, for the templates.
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
    return renderPingbacks(received.for(url, core.site), {
      ...resolved.render,
      ...pageLang,
      ...extra,
    });
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

// CommonJS configs: `addPlugin(require("@static-pingback/eleventy"))` needs the plugin itself,
// not the module namespace. Node's require() of an ES module returns this export when present.
export { staticPingback as "module.exports" };
