import type { Element, Root } from "hast";
import { SKIP, visit } from "unist-util-visit";
import type { ResolvedOptions } from "../options/types.ts";
import { describeMatcher } from "../options/url-matcher.ts";
import { linkVerdict } from "../page/link-verdict.ts";
import { isPageEnabled } from "../page/page-enabled.ts";
import { selectContentScope } from "../page/reference/content-scope.ts";
import { documentBase } from "../page/reference/document-base.ts";
import { parseHtml } from "../page/reference/parse-html.ts";
import type { LinkFilter } from "../page/resolve-target.ts";

/** Why a link of a page is, or is not, one of the page's pairs in the manifest. */
export type LinkReason =
  | "in-manifest"
  | "outside-content"
  | "data-no-pingback"
  | "not-http"
  | "same-site"
  | "excluded-by";

export const LINK_REASONS: readonly LinkReason[] = [
  "in-manifest",
  "outside-content",
  "data-no-pingback",
  "not-http",
  "same-site",
  "excluded-by",
];

/** One distinct link of a page (same href, same verdict) and how often it appears. */
export interface ExplainedLink {
  /** The href as written (trimmed). */
  href: string;
  /** The resolved URL, fragment dropped, when the href is an http(s) URL. */
  target?: string;
  reason: LinkReason;
  /** Which selector, matcher or scheme; absent when the reason says it all. */
  detail?: string;
  count: number;
}

export interface ExplainedPageLinks {
  /** False when `include`/`exclude` leave the page out: none of its links count. */
  enabled: boolean;
  /** The content selector that gave the post content, or null when none matched. */
  scope: string | null;
  /** Every `a[href]` and `area[href]` of the document, in first-seen order. */
  links: ExplainedLink[];
}

const LINK_TAGS = new Set(["a", "area"]);

function optedOut(element: Element): boolean {
  const value = element.properties.dataNoPingback;
  return value !== undefined && value !== null;
}

/**
 * The content links as processPage collects them (the same walk as the reference's
 * outbound-links.ts: scope roots, templates skipped), and those it skips because an
 * element on the way is marked `data-no-pingback`.
 */
function contentLinks(scope: readonly Element[]): {
  content: Set<Element>;
  optedOut: Set<Element>;
} {
  const content = new Set<Element>();
  const skipped = new Set<Element>();
  for (const root of scope) {
    visit(root, "element", (node) => {
      if (node.tagName === "template") return SKIP;
      if (optedOut(node)) {
        visit(node, "element", (inner) => {
          if (LINK_TAGS.has(inner.tagName)) skipped.add(inner);
        });
        return SKIP;
      }
      if (LINK_TAGS.has(node.tagName)) content.add(node);
      return undefined;
    });
  }
  for (const element of content) skipped.delete(element);
  return { content, optedOut: skipped };
}

/**
 * Every link of one built page with the reason it is or is not a pair: the reference
 * implementation's rules (content scope, foreign containers, resolveTarget's filter),
 * told element by element. A full parse: for `explain`, never on the build's hot path.
 */
export function explainPageLinks(
  html: string,
  pageUrlInput: string | URL,
  options: ResolvedOptions,
): ExplainedPageLinks {
  const pageUrl = new URL(pageUrlInput);
  const enabled = isPageEnabled(pageUrl, options);
  const { tree } = parseHtml(html);
  const scope = selectContentScope(tree, options.contentSelector);
  const { content, optedOut: skipped } = contentLinks(scope.elements);
  const filter: LinkFilter = {
    pageUrl,
    base: documentBase(tree, pageUrl),
    site: options.site,
    includeSameSite: options.includeSameSite,
    excludeLinks: options.excludeLinks,
  };
  const seen = new Map<string, ExplainedLink>();
  for (const element of documentLinks(tree)) {
    const href = (element.properties.href as string).trim();
    const link = explainOne(href, element, { content, skipped, filter, scope: scope.selector });
    const key = `${link.reason}\n${link.href}`;
    const known = seen.get(key);
    if (known) known.count += 1;
    else seen.set(key, link);
  }
  return { enabled, scope: scope.selector, links: [...seen.values()] };
}

function documentLinks(tree: Root): Element[] {
  const links: Element[] = [];
  visit(tree, "element", (node) => {
    if (LINK_TAGS.has(node.tagName) && typeof node.properties.href === "string") links.push(node);
  });
  return links;
}

interface Context {
  content: Set<Element>;
  skipped: Set<Element>;
  filter: LinkFilter;
  scope: string | null;
}

function explainOne(href: string, element: Element, context: Context): ExplainedLink {
  const verdict = linkVerdict(href, context.filter);
  const target = verdict.kind === "not-http" ? undefined : verdict.target;
  const link: ExplainedLink = { href, reason: "in-manifest", count: 1 };
  if (target !== undefined) link.target = target;
  if (!context.content.has(element)) {
    if (context.skipped.has(element)) link.reason = "data-no-pingback";
    else {
      link.reason = "outside-content";
      link.detail =
        context.scope === null
          ? "no content selector matched this page"
          : `not inside ${context.scope}`;
    }
    return link;
  }
  switch (verdict.kind) {
    case "target":
      return link;
    case "not-http":
      return { ...link, reason: "not-http", detail: verdict.detail };
    case "same-site":
      return verdict.self
        ? { ...link, reason: "same-site", detail: "the page itself" }
        : { ...link, reason: "same-site" };
    case "excluded-by":
      return { ...link, reason: "excluded-by", detail: describeMatcher(verdict.matcher) };
  }
}
