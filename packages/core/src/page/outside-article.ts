import { DEFAULT_CONTENT_SELECTOR } from "../options/resolve-options.ts";
import type { ResolvedOptions } from "../options/types.ts";
import type { PageResult } from "./types.ts";

/** The default list's last resorts: a page with neither an h-entry nor an article. */
const FALLBACK_SELECTORS = new Set(["main", "body"]);

const isDefaultList = (list: readonly string[]): boolean =>
  list.length === DEFAULT_CONTENT_SELECTOR.length &&
  list.every((selector, k) => selector === DEFAULT_CONTENT_SELECTOR[k]);

/**
 * Whether the page's links come from outside an article or h-entry: with the default
 * contentSelector, a page whose content scope is the `main` or `body` fallback (a home
 * page's intro, a starter's message box) and that has links. The build summary counts
 * these pages, so the user can limit `include` to the posts.
 */
export function linksOutsideArticle(
  result: Pick<PageResult, "scope" | "links">,
  options: Pick<ResolvedOptions, "contentSelector">,
): boolean {
  return (
    result.links.length > 0 &&
    result.scope !== null &&
    FALLBACK_SELECTORS.has(result.scope) &&
    isDefaultList(options.contentSelector)
  );
}
