import { stripInvisible } from "@static-pingback/core/received";
import type { Element, Nodes, Root } from "hast";
import rehypeParse from "rehype-parse";
import { unified } from "unified";

const parser = unified().use(rehypeParse);

/** Parses a whole document as a browser would (parse5 through rehype-parse). */
export function parseDocument(html: string): Root {
  return parser.parse(html.charCodeAt(0) === 0xfeff ? html.slice(1) : html) as Root;
}

/** Elements whose text is not page text, and whose links do not count. */
const OPAQUE = new Set(["script", "style", "template", "noscript", "textarea", "title"]);

export function isOpaque(element: Element): boolean {
  return OPAQUE.has(element.tagName);
}

/**
 * Visits elements depth first with their ancestors, not descending into opaque
 * ones (template contents are a separate tree in hast and are never visited).
 * The visitor returns true to stop the walk.
 */
export function walkElements(
  root: Root | Element,
  visitor: (element: Element, ancestors: readonly Element[]) => boolean | undefined,
): void {
  const ancestors: Element[] = [];
  const walk = (node: Nodes): boolean => {
    if (node.type !== "element" && node.type !== "root") return false;
    if (node.type === "element") {
      if (visitor(node, ancestors)) return true;
      if (isOpaque(node)) return false;
      ancestors.push(node);
    }
    for (const child of node.children) {
      if (walk(child as Nodes)) return true;
    }
    if (node.type === "element") ancestors.pop();
    return false;
  };
  walk(root);
}

export function findFirst(
  root: Root | Element,
  test: (element: Element) => boolean,
): Element | undefined {
  let found: Element | undefined;
  walkElements(root, (element) => {
    if (test(element)) {
      found = element;
      return true;
    }
    return false;
  });
  return found;
}

export function hasClass(element: Element, name: string): boolean {
  const classes = element.properties.className;
  return Array.isArray(classes) && classes.includes(name);
}

export function attribute(element: Element, name: string): string | undefined {
  const value = element.properties[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join(" ");
  return undefined;
}

/** Visible text: no script, style or template text; whitespace collapsed. */
export function visibleText(node: Nodes): string {
  const parts: string[] = [];
  const collect = (n: Nodes) => {
    if (n.type === "text") parts.push(n.value);
    else if (n.type === "element") {
      if (isOpaque(n)) return;
      if (n.tagName === "br" || n.tagName === "p" || n.tagName === "li") parts.push(" ");
      for (const child of n.children) collect(child as Nodes);
    } else if (n.type === "root") for (const child of n.children) collect(child as Nodes);
  };
  collect(node);
  return collapse(parts.join(""));
}

/** Whitespace folded, and no control or bidi-override characters: the text is shown later. */
export function collapse(text: string): string {
  return stripInvisible(text.replace(/\s+/g, " ")).trim();
}

/** Cuts to `max` characters on a word boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
