import path from "node:path";
import { type BuildSession, handWrittenFiles } from "@static-pingback/core/build";
import { type BuildFormat, pageOutputCandidates, pageUrl } from "./page-location.ts";
import { outputKey } from "./prerendered-pages.ts";

export interface BuiltPagesInput {
  /** Astro's output directory for static files (`dir` of `astro:build:done`). */
  outDir: string;
  /** Page names as `astro:build:done` reports them (`pages[].pathname`). */
  pageNames: readonly string[];
  format: BuildFormat;
  concurrency: number;
}

/**
 * Hands every prerendered HTML page in Astro's output to the build session, which
 * recognises the pages the middleware handled (nothing written) and processes the rest
 * from their files. Error pages (404, 500) are recorded as not taking part, as core's
 * default `exclude` says. Answers the page names whose HTML file was not found
 * (written elsewhere by an adapter), sorted.
 */
export async function handBuiltPages(
  session: BuildSession,
  input: BuiltPagesInput,
): Promise<string[]> {
  const pages = input.pageNames.map((name) => {
    const url = pageUrl(session.options.site, name);
    const files = pageOutputCandidates(name, input.format).map((candidate) =>
      path.join(input.outDir, ...candidate.split("/")),
    );
    return { name, url, key: outputKey(url.pathname), files };
  });
  const missing = await handWrittenFiles(session, pages, input.concurrency);
  return missing.map((page) => (page as (typeof pages)[number]).name).sort();
}
