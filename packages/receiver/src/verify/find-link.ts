import type { Element, Root } from "hast";
import { normaliseUri } from "../uri.ts";
import { attribute, findFirst, walkElements } from "./html-tree.ts";

/** The document's base URL: the first `<base href>`, resolved against the page URL. */
export function documentBase(tree: Root, pageUrl: string): string {
  const base = findFirst(tree, (e) => e.tagName === "base" && attribute(e, "href") !== undefined);
  const href = base && attribute(base, "href");
  if (href) {
    try {
      const url = new URL(href.trim(), pageUrl);
      if (url.protocol === "http:" || url.protocol === "https:") return url.href;
    } catch {
      // An unusable base is ignored, as browsers do.
    }
  }
  return pageUrl;
}

export interface FoundLink {
  element: Element;
  ancestors: readonly Element[];
}

/**
 * Finds the first `a` or `area` whose href, resolved against the base and with
 * its fragment dropped, is one of `targets` (already normalised the same way).
 * Links inside comments, scripts, styles, templates, noscript or textarea, or in
 * other attributes, are not links of the page and never match.
 */
export function findLinkTo(
  tree: Root,
  base: string,
  targets: ReadonlySet<string>,
): FoundLink | undefined {
  let found: FoundLink | undefined;
  walkElements(tree, (element, ancestors) => {
    if (element.tagName !== "a" && element.tagName !== "area") return false;
    const href = attribute(element, "href");
    if (href === undefined) return false;
    let resolved: string;
    try {
      resolved = normaliseUri(new URL(href.trim(), base));
    } catch {
      return false;
    }
    if (!targets.has(resolved)) return false;
    found = { element, ancestors: [...ancestors] };
    return true;
  });
  return found;
}
