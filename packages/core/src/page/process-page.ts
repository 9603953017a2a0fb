import type { ResolvedOptions } from "../options/types.ts";
import { processPageFast } from "./fast/fast-page.ts";
import { type HeadLinkElement, headLinkElements } from "./link-element.ts";
import { isPageEnabled, notTakingPart } from "./page-enabled.ts";
import { processPageReference } from "./reference/load-reference.ts";
import type { PageResult } from "./types.ts";

/**
 * Processes one built page: the entry point everything else calls. It dispatches
 * between the two implementations: the fast path (`fast/`, a single linear scan) for
 * the pages it models exactly, the reference (`reference/`, a full rehype parse that
 * defines correct output) for the rest. Tests hold both identical on every fixture,
 * the benchmark corpus and seeded tag soup.
 *
 * `elements` are the link elements to insert: a build session makes them once from
 * the options (headLinkElements) and hands them to every page, on every thread.
 */
export function processPage(
  html: string,
  pageUrlInput: string | URL,
  options: ResolvedOptions,
  elements: readonly HeadLinkElement[] = headLinkElements(options),
): PageResult {
  const pageUrl = new URL(pageUrlInput);
  if (!isPageEnabled(pageUrl, options)) return notTakingPart(html);
  return (
    processPageFast(html, pageUrl, options, elements) ??
    processPageReference(html, pageUrl, options, elements)
  );
}
