import type { UrlMatcher } from "../options/types.ts";
import { matchesAny } from "../options/url-matcher.ts";
import { normalFormUrl } from "./normal-form-url.ts";

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
  // Most links need no parse at all (see normal-form-url.ts); matchers want the URL.
  const normal = filter.excludeLinks.length === 0 ? normalFormUrl(href) : undefined;
  if (normal) {
    const { host, protocol, target } = normal;
    if (host !== filter.site.host || protocol !== filter.site.protocol) return target;
    return filter.includeSameSite && target !== pageWithoutFragment(filter) ? target : undefined;
  }
  const trimmed = href.trim();
  if (trimmed === "" || trimmed.charCodeAt(0) === 35 /* # */) return undefined;
  // An absolute http(s) URL does not depend on the base; skipping it saves a parse.
  const url = ABSOLUTE_HTTP.test(trimmed)
    ? URL.parse(trimmed)
    : URL.parse(trimmed, filter.base.href);
  if (url === null) return undefined;
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.hash = ""; // also drops a bare "#"
  const target = url.href;
  if (url.host === filter.site.host && url.protocol === filter.site.protocol) {
    if (!filter.includeSameSite || target === pageWithoutFragment(filter)) return undefined;
  }
  if (filter.excludeLinks.length > 0 && matchesAny(filter.excludeLinks, target, url)) {
    return undefined;
  }
  return target;
}

function pageWithoutFragment(filter: LinkFilter): string {
  const page = new URL(filter.pageUrl);
  page.hash = "";
  return page.href;
}
