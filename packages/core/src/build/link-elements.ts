import type { ResolvedOptions } from "../options/types.ts";
import { pingbackLinkElement } from "../page/link-element.ts";

/**
 * The link elements a build inserts into the head of each page taking part, made once
 * per build from the resolved options and handed, as one text, to every page on every
 * thread (processPage and predictInsertion insert it as given). Each element is one
 * entry of the list, in the order written.
 */
export function headLinkElements(options: Pick<ResolvedOptions, "endpoint">): string[] {
  return [pingbackLinkElement(options.endpoint)];
}

/** The text inserted into a page's head: the elements in order. */
export function linkElementsText(options: Pick<ResolvedOptions, "endpoint">): string {
  return headLinkElements(options).join("");
}
