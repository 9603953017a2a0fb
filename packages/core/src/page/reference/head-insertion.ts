import type { Element, Root } from "hast";
import { startTagEnd } from "./start-tag-end.ts";

/** Where to put the link element, and whether it needs a `<head>` around it. */
export interface HeadInsertion {
  /** Offset in the parsed text. */
  offset: number;
  /** True when the document has no head content at all, so we write `<head>…</head>`. */
  wrapInHead: boolean;
}

function childElement(parent: Element | Root, tagName: string): Element | undefined {
  for (const child of parent.children) {
    if (child.type === "element" && child.tagName === tagName) return child;
  }
  return undefined;
}

function firstElementChild(parent: Element): Element | undefined {
  for (const child of parent.children) if (child.type === "element") return child;
  return undefined;
}

function isCharsetMeta(element: Element): boolean {
  return element.tagName === "meta" && element.properties.charSet !== undefined;
}

/**
 * Finds the insertion point from parse positions only, so the rest of the page keeps
 * its bytes. The element goes first in the head, after a leading `<meta charset>`
 * (which must stay within the first 1024 bytes), so that clients reading only a
 * prefix of the page find it early.
 */
export function findHeadInsertion(tree: Root, html: string): HeadInsertion {
  const root = childElement(tree, "html");
  const head = root && childElement(root, "head");
  if (head) {
    const first = firstElementChild(head);
    if (first && isCharsetMeta(first) && first.position?.end.offset !== undefined) {
      return { offset: first.position.end.offset, wrapInHead: false };
    }
    const headStart = head.position?.start.offset;
    if (headStart !== undefined) return { offset: startTagEnd(html, headStart), wrapInHead: false };
    // Implied head with content (e.g. a <title> and no <head> tag): the link joins it.
    const firstPositioned = head.children.find(
      (child) => child.position?.start.offset !== undefined,
    );
    if (firstPositioned?.position?.start.offset !== undefined) {
      return { offset: firstPositioned.position.start.offset, wrapInHead: false };
    }
  }
  // No head content at all: a new head after the <html> start tag or the doctype.
  const htmlStart = root?.position?.start.offset;
  if (htmlStart !== undefined && html[htmlStart] === "<" && /^<html/i.test(html.slice(htmlStart))) {
    return { offset: startTagEnd(html, htmlStart), wrapInHead: true };
  }
  const doctype = tree.children.find((child) => child.type === "doctype");
  const doctypeEnd = doctype?.position?.end.offset;
  return { offset: doctypeEnd ?? 0, wrapInHead: true };
}
