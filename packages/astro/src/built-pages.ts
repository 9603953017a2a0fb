import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type PageResult,
  processPage,
  type ResolvedOptions,
  writeFileAtomic,
} from "@static-pingback/core";
import { mapWithConcurrency } from "./concurrency.ts";
import { type BuildFormat, pageOutputCandidates, pageUrl } from "./page-location.ts";

/** One prerendered page after processing. */
export interface ProcessedPage {
  /** The page's deployed absolute URL. */
  url: string;
  /** The output file, absolute. */
  file: string;
  /** What core found, without the page text (not kept: a large site would hold it all). */
  result: Omit<PageResult, "html">;
}

export interface BuiltPagesInput {
  /** Astro's output directory for static files (`dir` of `astro:build:done`). */
  outDir: string;
  /** Page names as `astro:build:done` reports them (`pages[].pathname`). */
  pageNames: readonly string[];
  format: BuildFormat;
  options: ResolvedOptions;
  concurrency: number;
}

export interface BuiltPagesOutcome {
  pages: ProcessedPage[];
  /** Page names whose HTML file was not found in the output (written elsewhere by an adapter). */
  missing: string[];
}

/**
 * Processes every prerendered HTML page in Astro's output: inserts the pingback link
 * element and collects outbound links, rewriting a file (atomically) only when it
 * changed. Error pages (404, 500) are recorded as not pingback-enabled, as core's
 * default `exclude` says, and left untouched; a page listed twice is done once.
 */
export async function processBuiltPages(input: BuiltPagesInput): Promise<BuiltPagesOutcome> {
  const seen = new Set<string>();
  const work: { name: string; url: URL }[] = [];
  for (const name of input.pageNames) {
    const url = pageUrl(input.options.site, name);
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    work.push({ name, url });
  }

  const missing: string[] = [];
  const processed = await mapWithConcurrency(work, input.concurrency, async ({ name, url }) => {
    const found = await readFirstExisting(input.outDir, pageOutputCandidates(name, input.format));
    if (!found) {
      missing.push(name);
      return undefined;
    }
    const result = processPage(found.html, url, input.options);
    // Build output: atomic for readers, not flushed (a rebuild recreates it).
    if (result.changed) await writeFileAtomic(found.file, result.html, { durable: false });
    const { html: _rewritten, ...summary } = result;
    return { url: url.href, file: found.file, result: summary };
  });
  return {
    pages: processed.filter((page): page is ProcessedPage => page !== undefined),
    missing: missing.sort(),
  };
}

async function readFirstExisting(
  outDir: string,
  candidates: readonly string[],
): Promise<{ file: string; html: string } | undefined> {
  for (const candidate of candidates) {
    const file = path.join(outDir, ...candidate.split("/"));
    try {
      return { file, html: await readFile(file, "utf8") };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    }
  }
  return undefined;
}
