import path from "node:path";
import type { WrittenPageFiles } from "@static-pingback/core/build";
import { type BuildFormat, pageOutputCandidates, pageUrl } from "./page-location.ts";
import { outputKey } from "./prerendered-pages.ts";

/**
 * Every prerendered page of `astro:build:done` (`pages[].pathname`) with the files Astro
 * may have written it to, for core's build session: it recognises the pages the
 * middleware handled (nothing written) and processes the rest from their files. Error
 * pages (404, 500) are recorded as not taking part, as core's default `exclude` says.
 */
export function builtPages(
  site: URL,
  outDir: string,
  pageNames: readonly string[],
  format: BuildFormat,
): WrittenPageFiles[] {
  return pageNames.map((name) => {
    const url = pageUrl(site, name);
    const files = pageOutputCandidates(name, format).map((candidate) =>
      path.join(outDir, ...candidate.split("/")),
    );
    return { url, key: outputKey(url.pathname), files };
  });
}
