import type { ResolvedOptions } from "../../options/types.ts";
import { expandSpecEntities, PINGBACK_LINK_PATTERN, pingbackLinkElement } from "../link-element.ts";
import { isPageEnabled, notTakingPart } from "../page-enabled.ts";
import type { PageResult } from "../types.ts";
import { selectContentScope } from "./content-scope.ts";
import { documentBase } from "./document-base.ts";
import { findPingbackLinks } from "./existing-pingback.ts";
import { findHeadInsertion } from "./head-insertion.ts";
import { collectOutboundLinks } from "./outbound-links.ts";
import { parseHtml } from "./parse-html.ts";

const SPEC_PATTERN_ALL = new RegExp(PINGBACK_LINK_PATTERN.source, "g");

/**
 * One built page in, one page out: inserts the pingback link element into the head
 * and extracts the post content's outbound links. Pure: no I/O. Only the inserted
 * element changes the page; every other character stays where it was.
 *
 * This is the reference implementation (a full rehype parse); it defines correct output.
 */
export function processPageReference(
  html: string,
  pageUrlInput: string | URL,
  options: ResolvedOptions,
  linkElement: string = pingbackLinkElement(options.endpoint),
): PageResult {
  const pageUrl = new URL(pageUrlInput);
  if (!isPageEnabled(pageUrl, options)) return notTakingPart(html);
  const { tree, offsetShift } = parseHtml(html);
  const warnings: string[] = [];

  const base = documentBase(tree, pageUrl);
  const scope = selectContentScope(tree, options.contentSelector);
  const links = collectOutboundLinks(scope.elements, {
    pageUrl,
    base,
    site: options.site,
    includeSameSite: options.includeSameSite,
    excludeLinks: options.excludeLinks,
  });

  const existing = findPingbackLinks(tree);
  if (existing.length > 0) {
    const own = existing[0]?.properties.href;
    if (existing.length > 1) {
      warnings.push(`has ${existing.length} pingback link elements; the spec allows one`);
    }
    const specMatches = html.match(SPEC_PATTERN_ALL) ?? [];
    const first = specMatches[0]?.match(PINGBACK_LINK_PATTERN)?.[1];
    if (first === undefined) {
      warnings.push(
        `has its own pingback link element, not in the spec's exact form <link rel="pingback" href="…">; clients will not find it`,
      );
    } else if (expandSpecEntities(first) !== options.endpoint) {
      warnings.push(
        `keeps its own pingback endpoint ${JSON.stringify(expandSpecEntities(first))}, not the configured ${JSON.stringify(options.endpoint)}`,
      );
    } else if (typeof own === "string" && own !== options.endpoint) {
      warnings.push(`has a pingback link element whose href differs from the configured endpoint`);
    }
    return {
      html,
      changed: false,
      insertion: null,
      pingback: true,
      links,
      scope: scope.selector,
      warnings,
    };
  }

  if (PINGBACK_LINK_PATTERN.test(html)) {
    warnings.push(
      "contains text matching the spec's pingback link pattern outside a link element (in a comment or script?); clients may read it instead",
    );
  }

  const insertion = findHeadInsertion(tree, offsetShift ? html.slice(offsetShift) : html);
  const at = insertion.offset + offsetShift;
  const inserted = insertion.wrapInHead ? `<head>${linkElement}</head>` : linkElement;
  return {
    html: html.slice(0, at) + inserted + html.slice(at),
    changed: true,
    insertion: { offset: at, text: inserted },
    pingback: true,
    links,
    scope: scope.selector,
    warnings,
  };
}
