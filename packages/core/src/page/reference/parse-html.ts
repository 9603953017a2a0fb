import type { Root } from "hast";
import rehypeParse from "rehype-parse";
import { unified } from "unified";

const parser = unified().use(rehypeParse);

/** A parsed page: the hast tree, with offsets relative to `html` minus `offsetShift`. */
export interface ParsedPage {
  tree: Root;
  /** Characters of the original string before the parsed text (a byte-order mark). */
  offsetShift: number;
}

/**
 * Parses a whole document as a browser would. A leading byte-order mark is left out
 * of the parse (browsers consume it while decoding; parse5 would read it as text and
 * push the head into the body) and accounted for in `offsetShift`.
 */
export function parseHtml(html: string): ParsedPage {
  const offsetShift = html.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = parser.parse(offsetShift ? html.slice(1) : html) as Root;
  return { tree, offsetShift };
}
