import type { ResolvedOptions } from "../options/types.ts";
import { matchesAny } from "../options/url-matcher.ts";
import type { PageResult } from "./types.ts";

/**
 * Whether a page takes part: matched on its URL path against `include` (all pages when
 * empty) and `exclude` (which always holds the 404/error-page pattern).
 */
export function isPageEnabled(pageUrl: URL, options: ResolvedOptions): boolean {
  const path = pageUrl.pathname;
  if (options.include.length > 0 && !matchesAny(options.include, path, pageUrl)) return false;
  return !matchesAny(options.exclude, path, pageUrl);
}

/** What processing gives for a page that does not take part: untouched, no links. */
export function notTakingPart(html: string): PageResult {
  return {
    html,
    changed: false,
    insertion: null,
    pingback: false,
    links: [],
    scope: null,
    contentHash: null,
    warnings: [],
  };
}
