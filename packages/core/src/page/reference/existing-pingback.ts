import type { Element, Root } from "hast";
import { SKIP, visit } from "unist-util-visit";

/** `<link>` elements whose rel includes "pingback", in document order (template content excluded). */
export function findPingbackLinks(tree: Root): Element[] {
  const found: Element[] = [];
  visit(tree, "element", (node) => {
    if (node.tagName === "template") return SKIP;
    if (node.tagName !== "link") return;
    const rel = node.properties.rel;
    const tokens: unknown[] = Array.isArray(rel) ? rel : String(rel ?? "").split(/\s+/);
    if (tokens.some((token) => String(token).toLowerCase() === "pingback")) found.push(node);
  });
  return found;
}
