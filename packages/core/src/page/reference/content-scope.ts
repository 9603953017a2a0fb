import type { Element, Root } from "hast";
import { select, selectAll } from "hast-util-select";

/**
 * Places whose content is never the post's own, even when a content selector
 * matches inside them: citations and nested entries (received pingbacks, comments)
 * and anything the author marked `data-no-pingback`.
 */
const FOREIGN_CONTAINERS = [".h-cite", ".h-entry .h-entry", "[data-no-pingback]"];

function foreignElements(tree: Root): Set<Element> {
  const foreign = new Set<Element>();
  for (const container of FOREIGN_CONTAINERS) {
    if (!select(container, tree)) continue;
    for (const element of selectAll(`${container} *`, tree)) foreign.add(element);
  }
  return foreign;
}

/**
 * The elements holding the post content: all matches of the first selector in the
 * list that matches anything outside foreign containers, and that selector (null when
 * none does). Template chrome around them (nav, footer, "built with") is not part of
 * the post and its links are not the post's.
 */
export function selectContentScope(
  tree: Root,
  selectors: readonly string[],
): { selector: string | null; elements: Element[] } {
  let foreign: Set<Element> | undefined;
  for (const selector of selectors) {
    const matches = selectAll(selector, tree);
    if (matches.length === 0) continue;
    foreign ??= foreignElements(tree);
    const own = matches.filter((element) => !foreign?.has(element));
    if (own.length > 0) return { selector, elements: own };
  }
  return { selector: null, elements: [] };
}
