import type { Element, Root } from "hast";
import { SKIP, visit } from "unist-util-visit";
import type { EndpointRel } from "../link-element.ts";

/**
 * `<link>` elements whose rel includes `rel` ("pingback" or "webmention"), in document
 * order (template content excluded): a page that has one keeps it, and gets none of ours.
 */
export function findEndpointLinks(tree: Root, rel: EndpointRel): Element[] {
  const found: Element[] = [];
  visit(tree, "element", (node) => {
    if (node.tagName === "template") return SKIP;
    if (node.tagName !== "link") return;
    const value = node.properties.rel;
    const tokens: unknown[] = Array.isArray(value) ? value : String(value ?? "").split(/\s+/);
    if (tokens.some((token) => String(token).toLowerCase() === rel)) found.push(node);
  });
  return found;
}
