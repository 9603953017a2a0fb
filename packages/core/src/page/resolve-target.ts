import type { UrlMatcher } from "../options/types.ts";
import { linkVerdict, pageWithoutFragment } from "./link-verdict.ts";
import { normalFormUrl } from "./normal-form-url.ts";

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
    return filter.includeSameSite && target !== pageWithoutFragment(filter.pageUrl)
      ? target
      : undefined;
  }
  const verdict = linkVerdict(href, filter);
  return verdict.kind === "target" ? verdict.target : undefined;
}
