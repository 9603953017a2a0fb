import { readFile } from "node:fs/promises";
import {
  type FinishBuildInput,
  finishBuild,
  type ManifestPageInput,
  processPage,
  type ResolvedOptions,
} from "@static-pingback/core";
import { type FinishSummary, PageWorkerFailed } from "@static-pingback/core/offload";
import type { ProcessedPage } from "./built-pages.ts";
import type { PrerenderedPages } from "./prerendered-pages.ts";

export interface FinishPagesInput {
  pages: readonly ProcessedPage[];
  options: ResolvedOptions;
  /** Absolute state directory. */
  stateDir: string;
  /** Absolute path or URL of the manifest to diff against. */
  previousManifest: string | undefined;
  publishDir: string | undefined;
  prerendered: PrerenderedPages | undefined;
}

/**
 * Writes manifest.json, outbox.json and the published copy. When the page worker holds
 * the links of the pages it processed, it writes them (it has had the previous manifest
 * loaded since the build started); otherwise, or if it failed, this thread does, after
 * taking the links of the worker's pages again from their files.
 */
export async function finishPages(input: FinishPagesInput): Promise<FinishSummary> {
  const { pages } = input;
  const inWorker = input.prerendered?.finish({
    pages: pages.map((page) => page.job ?? manifestEntry(page)),
    publishDir: input.publishDir,
    writeOutbox: true,
  });
  if (inWorker) {
    try {
      return await inWorker;
    } catch (error) {
      if (!(error instanceof PageWorkerFailed)) throw error;
    }
  }
  const entries = await Promise.all(
    pages.map(async (page) =>
      page.result.links ? manifestEntry(page) : await linksFromFile(page, input.options),
    ),
  );
  const finished = await finishBuild({
    pages: entries,
    options: { ...input.options, stateDir: input.stateDir },
    ...(input.previousManifest === undefined ? {} : { previousManifest: input.previousManifest }),
    ...(input.publishDir === undefined ? {} : { publishDir: input.publishDir }),
  } satisfies FinishBuildInput);
  return { summary: finished.summary, warnings: finished.warnings };
}

function manifestEntry(page: ProcessedPage): ManifestPageInput {
  return { url: page.url, pingback: page.result.pingback, links: page.result.links ?? [] };
}

/** A page whose links died with the worker: its file, already final, gives them again. */
async function linksFromFile(
  page: ProcessedPage,
  options: ResolvedOptions,
): Promise<ManifestPageInput> {
  const result = processPage(await readFile(page.file, "utf8"), page.url, options);
  return { url: page.url, pingback: page.result.pingback, links: result.links };
}
