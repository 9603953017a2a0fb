import type { ResolvedOptions } from "../../options/types.ts";
import { contentFingerprint } from "../content-fingerprint.ts";
import {
  elementsText,
  elementTexts,
  type HeadLinkElement,
  headLinkElements,
} from "../link-element.ts";
import { type LinkFilter, resolveTarget } from "../resolve-target.ts";
import type { PageResult } from "../types.ts";
import { FastScanDeclined, fastScan } from "./fast-scan.ts";
import { compileSimpleSelectors } from "./simple-selectors.ts";

/** Why the fast path declines this page, or undefined when it takes it. */
export function fastPathDeclineReason(
  html: string,
  options: ResolvedOptions,
  elements: readonly HeadLinkElement[] = headLinkElements(options),
): string | undefined {
  const selectors = compileSimpleSelectors(options.contentSelector);
  if (!selectors) return "contentSelector beyond tag, class, id and descendant";
  try {
    fastScan(html, selectors, elementTexts(elements), html.charCodeAt(0) === 0xfeff ? 1 : 0);
    return undefined;
  } catch (error) {
    if (error instanceof FastScanDeclined) return error.reason;
    throw error;
  }
}

/**
 * The fast path: one linear scan of a page that takes part (see fast-scan.ts), or
 * undefined when the scan declines the page (selectors beyond tag/class/id/descendant,
 * tag soup, tables, templates, an endpoint link other than the build's own, …): the caller then runs the reference.
 * Where it answers, its answer is the reference's (the tests hold the two identical).
 */
export function processPageFast(
  html: string,
  pageUrl: URL,
  options: ResolvedOptions,
  elements: readonly HeadLinkElement[],
): PageResult | undefined {
  const selectors = compileSimpleSelectors(options.contentSelector);
  if (!selectors) return undefined;
  let scan: ReturnType<typeof fastScan>;
  try {
    scan = fastScan(html, selectors, elementTexts(elements), html.charCodeAt(0) === 0xfeff ? 1 : 0);
  } catch (error) {
    if (error instanceof FastScanDeclined) return undefined;
    throw error;
  }
  // The first selector that matched anything is the scope, as in the reference.
  const scope = scan.matched & -scan.matched;
  const bit = 31 - Math.clz32(scope);
  // An element of the scope ended without its end tag: where it ends is the reference's call.
  if (scope !== 0 && scan.rootsOpened[bit] !== (scan.ranges[bit] as number[]).length / 2) {
    return undefined;
  }
  const filter: LinkFilter = {
    pageUrl,
    base: pageUrl,
    site: options.site,
    includeSameSite: options.includeSameSite,
    excludeLinks: options.excludeLinks,
  };
  const links = new Set<string>();
  for (let k = 0; k < scan.hrefs.length; k++) {
    if (((scan.masks[k] as number) & scope) === 0) continue;
    const target = resolveTarget(scan.hrefs[k] as string, filter);
    if (target !== undefined) links.add(target);
  }
  // The scan declined any page with endpoint links other than ours, all of them: the
  // page has every element already, or none.
  const text = scan.hasOwnElements ? "" : elementsText(elements);
  return {
    html: text === "" ? html : html.slice(0, scan.insertAt) + text + html.slice(scan.insertAt),
    changed: text !== "",
    insertion: text === "" ? null : { offset: scan.insertAt, text },
    pingback: true,
    links: [...links],
    // Bit i of `matched` is selector i.
    scope: scope === 0 ? null : (options.contentSelector[bit] ?? null),
    contentHash: scope === 0 ? null : contentFingerprint(html, scan.ranges[bit] as number[]),
    warnings: [],
  };
}
