import type { ResolvedOptions } from "../options/types.ts";
import { processPageReference } from "./process-page.ts";
import type { PageResult } from "./types.ts";

/**
 * Processes one built page: the entry point adapters call. Same contract and, by
 * test, the same output as `processPageReference`.
 */
export function processPage(
  html: string,
  pageUrl: string | URL,
  options: ResolvedOptions,
): PageResult {
  return processPageReference(html, pageUrl, options);
}
