import type { Element } from "hast";
import type { ResolvedOptions } from "../../options/types.ts";
import { contentFingerprint } from "../content-fingerprint.ts";
import {
  elementsText,
  expandSpecEntities,
  type HeadLinkElement,
  headLinkElements,
  PINGBACK_LINK_PATTERN,
} from "../link-element.ts";
import { isPageEnabled, notTakingPart } from "../page-enabled.ts";
import type { PageResult } from "../types.ts";
import { selectContentScope } from "./content-scope.ts";
import { documentBase } from "./document-base.ts";
import { findEndpointLinks } from "./existing-endpoint-links.ts";
import { findHeadInsertion } from "./head-insertion.ts";
import { collectOutboundLinks } from "./outbound-links.ts";
import { parseHtml } from "./parse-html.ts";

const SPEC_PATTERN_ALL = new RegExp(PINGBACK_LINK_PATTERN.source, "g");

/**
 * One built page in, one page out: inserts the endpoint link elements into the head
 * and extracts the post content's outbound links. Pure: no I/O. Only the inserted
 * element changes the page; every other character stays where it was.
 *
 * This is the reference implementation (a full rehype parse); it defines correct output.
 */
export function processPageReference(
  html: string,
  pageUrlInput: string | URL,
  options: ResolvedOptions,
  elements: readonly HeadLinkElement[] = headLinkElements(options),
): PageResult {
  const pageUrl = new URL(pageUrlInput);
  if (!isPageEnabled(pageUrl, options)) return notTakingPart(html);
  const { tree, offsetShift } = parseHtml(html);
  const warnings: string[] = [];

  const base = documentBase(tree, pageUrl);
  const scope = selectContentScope(tree, options.contentSelector);
  const contentHash = contentFingerprint(html, scopeRanges(scope.elements, offsetShift));
  const links = collectOutboundLinks(scope.elements, {
    pageUrl,
    base,
    site: options.site,
    includeSameSite: options.includeSameSite,
    excludeLinks: options.excludeLinks,
  });

  const pingbackLinks = findEndpointLinks(tree, "pingback");
  const webmentionLinks = findEndpointLinks(tree, "webmention");
  const ownPingback = elements.find((element) => element.rel === "pingback");
  const ownWebmention = elements.find((element) => element.rel === "webmention");
  if (pingbackLinks.length > 0) {
    warnings.push(...pingbackLinkWarnings(html, pingbackLinks, ownPingback?.endpoint));
  } else if (PINGBACK_LINK_PATTERN.test(html)) {
    warnings.push(
      "contains text matching the spec's pingback link pattern outside a link element (in a comment or script?); clients may read it instead",
    );
  }
  if (webmentionLinks.length > 0 && ownWebmention) {
    const kept = webmentionHref(webmentionLinks[0] as Element, base);
    if (kept !== ownWebmention.endpoint) {
      warnings.push(
        `keeps its own webmention endpoint ${JSON.stringify(kept)}, not the configured ${JSON.stringify(ownWebmention.endpoint)}`,
      );
    }
  }
  // A page that has its own element of a kind keeps it and gets none of ours.
  const text = elementsText(
    elements.filter((element) =>
      element.rel === "pingback" ? pingbackLinks.length === 0 : webmentionLinks.length === 0,
    ),
  );
  if (text === "") {
    return {
      html,
      changed: false,
      insertion: null,
      pingback: true,
      links,
      scope: scope.selector,
      contentHash,
      warnings,
    };
  }

  const insertion = findHeadInsertion(tree, offsetShift ? html.slice(offsetShift) : html);
  const at = insertion.offset + offsetShift;
  const inserted = insertion.wrapInHead ? `<head>${text}</head>` : text;
  return {
    html: html.slice(0, at) + inserted + html.slice(at),
    changed: true,
    insertion: { offset: at, text: inserted },
    pingback: true,
    links,
    scope: scope.selector,
    contentHash,
    warnings,
  };
}

/** What to tell about a page's own pingback link elements, against ours (if any). */
function pingbackLinkWarnings(
  html: string,
  existing: readonly Element[],
  configured: string | undefined,
): string[] {
  const warnings: string[] = [];
  if (existing.length > 1) {
    warnings.push(`has ${existing.length} pingback link elements; the spec allows one`);
  }
  const first = html.match(SPEC_PATTERN_ALL)?.[0]?.match(PINGBACK_LINK_PATTERN)?.[1];
  const own = existing[0]?.properties.href;
  if (first === undefined) {
    warnings.push(
      `has its own pingback link element, not in the spec's exact form <link rel="pingback" href="…">; clients will not find it`,
    );
  } else if (configured === undefined) {
    // The options advertise no pingback endpoint: the page's own is its author's choice.
  } else if (expandSpecEntities(first) !== configured) {
    warnings.push(
      `keeps its own pingback endpoint ${JSON.stringify(expandSpecEntities(first))}, not the configured ${JSON.stringify(configured)}`,
    );
  } else if (typeof own === "string" && own !== configured) {
    warnings.push(`has a pingback link element whose href differs from the configured endpoint`);
  }
  return warnings;
}

/** A webmention link's endpoint as a sender resolves it (against the document's base). */
function webmentionHref(link: Element, base: URL): string {
  const href = link.properties.href;
  if (typeof href !== "string") return "";
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/**
 * The source ranges of the outermost scope elements (an element inside an earlier one is
 * part of it), as content-fingerprint.ts wants them: offsets into the original string.
 */
function scopeRanges(elements: readonly Element[], offsetShift: number): number[] {
  const ranges: number[] = [];
  let coveredTo = -1;
  for (const element of elements) {
    const start = element.position?.start.offset;
    const end = element.position?.end.offset;
    if (start === undefined || end === undefined || start < coveredTo) continue;
    ranges.push(start + offsetShift, end + offsetShift);
    coveredTo = end;
  }
  return ranges;
}
