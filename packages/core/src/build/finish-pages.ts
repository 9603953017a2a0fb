import { readFile } from "node:fs/promises";
import { writeBuildRecord } from "../explain/build-record.ts";
import type { ManifestPageInput } from "../manifest/build-manifest.ts";
import { finishBuild } from "../manifest/finish-build.ts";
import { PageWorkerFailed } from "../offload/page-offload.ts";
import type { FinishRequest, FinishSummary } from "../offload/page-worker-messages.ts";
import type { ResolvedOptions } from "../options/types.ts";
import type { HeadLinkElement } from "../page/link-element.ts";
import { linksOutsideArticle } from "../page/outside-article.ts";
import { processPage } from "../page/process-page.ts";
import { type BuildPage, isWorkerHeld, type WorkerHeldPage } from "./build-page.ts";

export interface FinishPagesInput {
  pages: Iterable<BuildPage>;
  /** The build's options, with an absolute state directory. */
  options: ResolvedOptions;
  /** The inserted link elements (see link-elements.ts), to read a page again the same way. */
  linkElements: readonly HeadLinkElement[];
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
        pages: pages.map(requested),
        publishDir: input.publishDir,
        writeOutbox: input.writeOutbox,
      });
    } catch (error) {
      if (!(error instanceof PageWorkerFailed)) throw error;
    }
  }
  const entries = await Promise.all(
    pages.map((page) => (isWorkerHeld(page) ? linksFromFile(page, input) : page)),
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

/** A page as the worker's finish request names it. */
function requested(page: BuildPage): FinishRequest["pages"][number] {
  switch (page.kind) {
    case "kept":
      return page.job;
    case "cached":
      return { unchanged: page.url };
    case "links":
      return manifestInput(page);
  }
}

function manifestInput({ url, pingback, links, outsideArticle, contentHash }: ManifestPageInput) {
  return contentHash === undefined
    ? { url, pingback, links, outsideArticle }
    : { url, pingback, links, outsideArticle, contentHash };
}

async function linksFromFile(
  page: WorkerHeldPage,
  input: FinishPagesInput,
): Promise<ManifestPageInput> {
  const html = await readFile(page.file, "utf8");
  const result = processPage(html, page.url, input.options, input.linkElements);
  return {
    url: page.url,
    pingback: page.pingback,
    links: result.links,
    outsideArticle: linksOutsideArticle(result, input.options),
    ...(result.contentHash === null ? {} : { contentHash: result.contentHash }),
  };
}
