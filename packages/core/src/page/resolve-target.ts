import type { UrlMatcher } from "../options/types.ts";
import { matchesAny } from "../options/url-matcher.ts";

const ABSOLUTE_HTTP = /^https?:\/\//i;

export interface LinkFilter {
  pageUrl: URL;
  base: URL;
  site: URL;
  includeSameSite: boolean;
  excludeLinks: readonly UrlMatcher[];
}

/**
 * Resolves one href as written on the page into a pingback target, or undefined when
 * it is not one: not http(s), fragment-only, on the site itself (unless wanted), the
 * page itself, or excluded. The fragment is dropped (it names a place in the target,
 * not another resource); everything else stays as resolved, since the spec compares
 * targets case-sensitively.
 */
export function resolveTarget(href: string, filter: LinkFilter): string | undefined {
  const trimmed = href.trim();
  if (trimmed === "" || trimmed.charCodeAt(0) === 35 /* # */) return undefined;
  // An absolute http(s) URL does not depend on the base; skipping it saves a parse.
  const url = ABSOLUTE_HTTP.test(trimmed)
    ? URL.parse(trimmed)
    : URL.parse(trimmed, filter.base.href);
  if (url === null) return undefined;
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.hash !== "") url.hash = "";
  const target = url.href;
  if (url.host === filter.site.host && url.protocol === filter.site.protocol) {
    if (!filter.includeSameSite) return undefined;
    const page = new URL(filter.pageUrl);
    page.hash = "";
    if (target === page.href) return undefined;
  }
  if (filter.excludeLinks.length > 0 && matchesAny(filter.excludeLinks, target, url)) {
    return undefined;
  }
  return target;
}
