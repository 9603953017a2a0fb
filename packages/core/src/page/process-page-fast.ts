import type { ResolvedOptions } from "../options/types.ts";
import { FastScanDeclined, fastScan } from "./fast-scan.ts";
import { pingbackLinkElement } from "./link-element.ts";
import { isPageEnabled, notTakingPart } from "./page-enabled.ts";
import { processPageReference } from "./reference-loader.ts";
import { type LinkFilter, resolveTarget } from "./resolve-target.ts";
import { compileSimpleSelectors } from "./simple-selectors.ts";
import type { PageResult } from "./types.ts";

/**
 * Why `processPage` would take the full parse for this page, or undefined when the
 * fast scan handles it. For diagnostics and the benchmark.
 */
export function fastPathDeclineReason(html: string, options: ResolvedOptions): string | undefined {
  const selectors = compileSimpleSelectors(options.contentSelector);
  if (!selectors) return "contentSelector beyond tag, class, id and descendant";
  try {
    fastScan(html, selectors, html.charCodeAt(0) === 0xfeff ? 1 : 0);
    return undefined;
  } catch (error) {
    if (error instanceof FastScanDeclined) return error.reason;
    throw error;
  }
}

/**
 * Processes one built page: the entry point adapters call. Most generated pages go
 * through a single linear scan; anything that scan does not model exactly (selectors
 * beyond tag/class/id/descendant, tag soup, tables, templates, a pingback link, …) goes through
 * `processPageReference`, the full parse that defines correct output. Tests check that
 * both give identical results on every fixture and benchmark page.
 */
export function processPage(
  html: string,
  pageUrlInput: string | URL,
  options: ResolvedOptions,
): PageResult {
  const pageUrl = new URL(pageUrlInput);
  if (!isPageEnabled(pageUrl, options)) return notTakingPart(html);
  const selectors = compileSimpleSelectors(options.contentSelector);
  if (!selectors) return processPageReference(html, pageUrl, options);
  let scan: ReturnType<typeof fastScan>;
  try {
    scan = fastScan(html, selectors, html.charCodeAt(0) === 0xfeff ? 1 : 0);
  } catch (error) {
    if (error instanceof FastScanDeclined) return processPageReference(html, pageUrl, options);
    throw error;
  }
  // The first selector that matched anything is the scope, as in the reference.
  const scope = scan.matched & -scan.matched;
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
  const element = pingbackLinkElement(options.endpoint);
  return {
    html: html.slice(0, scan.insertAt) + element + html.slice(scan.insertAt),
    changed: true,
    insertion: { offset: scan.insertAt, text: element },
    pingback: true,
    links: [...links],
    warnings: [],
  };
}
