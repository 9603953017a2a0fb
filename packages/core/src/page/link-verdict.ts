import type { UrlMatcher } from "../options/types.ts";
import { firstMatch } from "../options/url-matcher.ts";
import type { LinkFilter } from "./resolve-target.ts";

const ABSOLUTE_HTTP = /^https?:\/\//i;

/**
 * What one href as written on a page becomes: a pingback target, or why not. The
 * rules are resolveTarget's (it answers from here whenever its shortcut cannot);
 * `explain` shows the reasons to the user.
 */
export type LinkVerdict =
  | { kind: "target"; target: string }
  /** Empty, fragment-only, unparsable, or a scheme other than http(s) (mailto:, tel:…). */
  | { kind: "not-http"; detail: string }
  /** On the site itself (or the page itself, `self`), and same-site links are not wanted. */
  | { kind: "same-site"; target: string; self: boolean }
  /** Matched by an `excludeLinks` matcher, described by describeMatcher. */
  | { kind: "excluded-by"; target: string; matcher: UrlMatcher };

export function linkVerdict(href: string, filter: LinkFilter): LinkVerdict {
  const trimmed = href.trim();
  if (trimmed === "") return { kind: "not-http", detail: "empty href" };
  if (trimmed.charCodeAt(0) === 35 /* # */) return { kind: "not-http", detail: "fragment only" };
  // An absolute http(s) URL does not depend on the base; skipping it saves a parse.
  const url = ABSOLUTE_HTTP.test(trimmed)
    ? URL.parse(trimmed)
    : URL.parse(trimmed, filter.base.href);
  if (url === null) return { kind: "not-http", detail: "not a valid URL" };
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { kind: "not-http", detail: `${url.protocol} link` };
  }
  url.hash = ""; // also drops a bare "#"
  const target = url.href;
  if (url.host === filter.site.host && url.protocol === filter.site.protocol) {
    const self = target === pageWithoutFragment(filter.pageUrl);
    if (!filter.includeSameSite || self) return { kind: "same-site", target, self };
  }
  if (filter.excludeLinks.length > 0) {
    const matcher = firstMatch(filter.excludeLinks, target, url);
    if (matcher !== undefined) return { kind: "excluded-by", target, matcher };
  }
  return { kind: "target", target };
}

export function pageWithoutFragment(pageUrl: URL): string {
  const page = new URL(pageUrl);
  page.hash = "";
  return page.href;
}
