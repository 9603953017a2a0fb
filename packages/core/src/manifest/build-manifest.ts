import type { ResolvedOptions } from "../options/types.ts";
import type { Manifest, ManifestPage } from "./types.ts";

/** One processed page, as an adapter hands it over. */
export interface ManifestPageInput {
  url: string;
  pingback: boolean;
  links: readonly string[];
  /** Its links come from outside an article or h-entry (see linksOutsideArticle): counted in the summary. */
  outsideArticle?: boolean | undefined;
  /** See ManifestPage.contentHash. */
  contentHash?: string | undefined;
}

/** Two copies of one URL: both fingerprints, so a change to either is seen. */
export function mergeContentHash(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b;
  return [a, b].sort().join("+");
}

// Array#sort without a comparator orders strings by UTF-16 code units, like
// compareStrings, and takes V8's faster path.
function sortedUnique(values: string[], merged: boolean): string[] {
  return (merged ? [...new Set(values)] : values).sort();
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The manifest of a build: every page by URL, with keys and links sorted so the same
 * site always gives the same file. A URL seen twice (two outputs for one page) keeps
 * the union of links and is enabled if either copy is.
 */
export function buildManifest(
  pages: Iterable<ManifestPageInput>,
  options: Pick<ResolvedOptions, "site" | "endpoint" | "webmentionEndpoint">,
  generatedAt: Date = new Date(),
): Manifest {
  const byUrl = new Map<
    string,
    { pingback: boolean; links: string[]; merged: boolean; contentHash?: string | undefined }
  >();
  for (const page of pages) {
    const entry = byUrl.get(page.url);
    if (entry) {
      entry.pingback ||= page.pingback;
      entry.links.push(...page.links);
      entry.merged = true;
      entry.contentHash = mergeContentHash(entry.contentHash, page.contentHash);
    } else {
      // Page links come de-duplicated from processPage; a Set is needed only after a merge.
      const links = [...page.links];
      byUrl.set(page.url, {
        pingback: page.pingback,
        links,
        merged: new Set(links).size !== links.length,
        contentHash: page.contentHash,
      });
    }
  }
  const sortedPages: Record<string, ManifestPage> = {};
  for (const url of [...byUrl.keys()].sort()) {
    const entry = byUrl.get(url) as {
      pingback: boolean;
      links: string[];
      merged: boolean;
      contentHash?: string;
    };
    const links = sortedUnique(entry.links, entry.merged);
    sortedPages[url] =
      entry.contentHash === undefined
        ? { pingback: entry.pingback, links }
        : { pingback: entry.pingback, links, contentHash: entry.contentHash };
  }
  return {
    version: 1,
    site: options.site.href,
    endpoint: options.endpoint,
    webmentionEndpoint: options.webmentionEndpoint,
    generatedAt: generatedAt.toISOString(),
    pages: sortedPages,
  };
}
