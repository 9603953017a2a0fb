import type { Root } from "hast";
import { EXIT, SKIP, visit } from "unist-util-visit";

/** The document base URL: the first `<base href>` resolved against the page URL, else the page URL. */
export function documentBase(tree: Root, pageUrl: URL): URL {
  let base = pageUrl;
  visit(tree, "element", (node) => {
    if (node.tagName === "template") return SKIP;
    if (node.tagName !== "base" || typeof node.properties.href !== "string") return;
    try {
      base = new URL(node.properties.href, pageUrl);
    } catch {
      // An unparsable base href is ignored, as browsers fall back to the document URL.
    }
    return EXIT;
  });
  return base;
}
