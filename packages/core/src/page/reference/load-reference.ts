import { createRequire } from "node:module";
import type { ResolvedOptions } from "../../options/types.ts";
import type { HeadLinkElement } from "../link-element.ts";
import type { PageResult } from "../types.ts";

type ReferenceProcessor = (
  html: string,
  pageUrl: string | URL,
  options: ResolvedOptions,
  elements?: readonly HeadLinkElement[],
) => PageResult;

const require = createRequire(import.meta.url);
let reference: ReferenceProcessor | undefined;

/**
 * The full-parse reference (unified, rehype-parse, hast-util-select) is the costliest
 * part of core to import, and most builds never need it: every generated page takes
 * the fast scan. So it loads on first use, synchronously (require of an ES module,
 * Node >= 22.12), the same from src/ (tests) and dist/.
 */
function loadReference(): ReferenceProcessor {
  const file = import.meta.url.endsWith(".ts")
    ? "./process-page-reference.ts"
    : "./process-page-reference.js";
  reference ??= (require(file) as { processPageReference: ReferenceProcessor })
    .processPageReference;
  return reference;
}

/**
 * Processes one page with the full rehype parse: the reference that defines correct
 * output, and the fallback for pages the fast scan declines. Same contract as processPage.
 */
export function processPageReference(
  html: string,
  pageUrl: string | URL,
  options: ResolvedOptions,
  elements?: readonly HeadLinkElement[],
): PageResult {
  return loadReference()(html, pageUrl, options, elements);
}
