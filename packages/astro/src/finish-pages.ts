import type { ResolvedOptions } from "@static-pingback/core";
import {
  type BuildPage,
  type FinishSummary,
  finishPages as finishBuildPages,
} from "@static-pingback/core/offload";
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
  /** The build's output directory (for build-record.json). */
  outputDir?: string | undefined;
  prerendered: PrerenderedPages | undefined;
}

/**
 * Writes manifest.json, outbox.json and the published copy (core's finishPages): in the
 * page worker when it holds links, otherwise, or if it failed, on this thread.
 */
export function finishPages(input: FinishPagesInput): Promise<FinishSummary> {
  return finishBuildPages({
    pages: input.pages.map(buildPage),
    options: { ...input.options, stateDir: input.stateDir },
    worker: input.prerendered?.offload,
    previousManifest: input.previousManifest,
    publishDir: input.publishDir,
    outputDir: input.outputDir,
  });
}

function buildPage(page: ProcessedPage): BuildPage {
  const { url, file, job, result } = page;
  const { pingback } = result;
  if (page.unchanged) return { url, pingback, unchanged: true, file };
  return job === undefined
    ? { url, pingback, links: result.links ?? [], outsideArticle: result.outsideArticle }
    : { url, pingback, job, file };
}
