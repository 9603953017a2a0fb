import { readFile } from "node:fs/promises";
import { writeBuildRecord } from "../explain/build-record.ts";
import type { ManifestPageInput } from "../manifest/build-manifest.ts";
import { finishBuild } from "../manifest/finish-build.ts";
import type { ResolvedOptions } from "../options/types.ts";
import { linksOutsideArticle } from "../page/outside-article.ts";
import { processPage } from "../page/process-page.ts";
import { type FinishSummary, PageWorkerFailed } from "./page-offload.ts";
import type { FinishRequest } from "./page-worker-messages.ts";

/** A page whose links the page worker kept for the manifest (its manifest setup). */
export interface WorkerKeptPage {
  url: string;
  pingback: boolean;
  /** The id the worker knows the page by (PageOffload's `lastId` after `process`). */
  job: number;
  /** The page's final output file: its links are read from there again if the worker is lost. */
  file: string;
}

/**
 * A page the page cache holds (PageOffload's `lookUp`): unchanged since the last
 * build, so the worker has its links from the manifest written then.
 */
export interface UnchangedBuildPage {
  url: string;
  pingback: boolean;
  unchanged: true;
  /** The page's final output file: its links are read from there again if the worker is lost. */
  file: string;
}

/** A page of the build: its links here, or held by the worker. */
export type BuildPage = ManifestPageInput | WorkerKeptPage | UnchangedBuildPage;

export interface FinishPagesInput {
  pages: Iterable<BuildPage>;
  /** The adapter's options, with an absolute state directory. */
  options: ResolvedOptions;
  /** The worker that kept links (PageOffload with a manifest setup), if any. */
  worker?: { finish(request: FinishRequest): Promise<FinishSummary> } | undefined;
  /** Path or URL of the manifest to diff against (default: the one in stateDir). */
  previousManifest?: string | undefined;
  publishDir?: string | undefined;
  writeOutbox?: boolean | undefined;
  /** The build's output directory: recorded in build-record.json for `explain` (full builds only). */
  outputDir?: string | undefined;
}

/**
 * Writes manifest.json, outbox.json and the published copy. When the page worker holds
 * the links of some pages, it writes them (it has had the previous manifest loaded
 * since the build started); otherwise, or if it failed, this thread does, after taking
 * the links of the worker's pages again from their files, which are final by then.
 */
export async function finishPages(input: FinishPagesInput): Promise<FinishSummary> {
  const finished = await writeBuildFiles(input);
  if (input.outputDir !== undefined && input.writeOutbox !== false) {
    await writeBuildRecord(input.options, input.outputDir);
  }
  return finished;
}

async function writeBuildFiles(input: FinishPagesInput): Promise<FinishSummary> {
  const pages = [...input.pages];
  const { worker } = input;
  if (worker && pages.some(isWorkerHeld)) {
    try {
      return await worker.finish({
        pages: pages.map((page) =>
          isWorkerKept(page) ? page.job : isUnchanged(page) ? { unchanged: page.url } : page,
        ),
        publishDir: input.publishDir,
        writeOutbox: input.writeOutbox,
      });
    } catch (error) {
      if (!(error instanceof PageWorkerFailed)) throw error;
    }
  }
  const entries = await Promise.all(
    pages.map((page) => (isWorkerHeld(page) ? linksFromFile(page, input.options) : page)),
  );
  const finished = await finishBuild({
    pages: entries,
    options: input.options,
    ...(input.previousManifest === undefined ? {} : { previousManifest: input.previousManifest }),
    ...(input.publishDir === undefined ? {} : { publishDir: input.publishDir }),
    ...(input.writeOutbox === undefined ? {} : { writeOutbox: input.writeOutbox }),
  });
  return { summary: finished.summary, warnings: finished.warnings };
}

export function isWorkerKept(page: BuildPage): page is WorkerKeptPage {
  return "job" in page;
}

export function isUnchanged(page: BuildPage): page is UnchangedBuildPage {
  return "unchanged" in page;
}

/** A page whose links only the worker has. */
function isWorkerHeld(page: BuildPage): page is WorkerKeptPage | UnchangedBuildPage {
  return isWorkerKept(page) || isUnchanged(page);
}

async function linksFromFile(
  page: WorkerKeptPage | UnchangedBuildPage,
  options: ResolvedOptions,
): Promise<ManifestPageInput> {
  const result = processPage(await readFile(page.file, "utf8"), page.url, options);
  const { links } = result;
  return {
    url: page.url,
    pingback: page.pingback,
    links,
    outsideArticle: linksOutsideArticle(result, options),
  };
}
