import type { CitingPost } from "../store/types.ts";
import { decodeBody, isHtmlType, mediaTypeOf } from "./decode.ts";
import { extractCitingPost } from "./metadata.ts";
import { SCAN_LIMITS, scanPage } from "./scan-page.ts";

/** A fetched source, as the guarded client returns it. */
export interface FetchedSource {
  /** Final URL after redirects: the base for relative links. */
  url: string;
  contentType: string | null;
  body: Uint8Array;
}

/** Why a source was refused: not HTML, no link found, or a page over the scan limits. */
export type RefusalReason = "not-html" | "no-link" | "too-complex";

export type SourceCheck =
  | { ok: true; post: CitingPost }
  | { ok: false; faultCode: 17; reason: RefusalReason };

/**
 * Pure: does the fetched source link to one of `targets` (normalised URLs)?
 * Only HTML can be verified: other text types, and anything else, cannot hold
 * an `a` element and answer 17. Only the first 150 KB are searched, in one
 * bounded pass (see SCAN_LIMITS); a page that hits the depth or element cap
 * before the link is refused as too complex.
 */
export function checkSource(source: FetchedSource, targets: ReadonlySet<string>): SourceCheck {
  if (!isHtmlType(mediaTypeOf(source.contentType))) {
    return { ok: false, faultCode: 17, reason: "not-html" };
  }
  const head = source.body.subarray(0, SCAN_LIMITS.bytes);
  const page = scanPage(decodeBody(head, source.contentType), source.url, targets);
  if (!page.link) {
    return { ok: false, faultCode: 17, reason: page.stopped ? "too-complex" : "no-link" };
  }
  return { ok: true, post: extractCitingPost(page, page.link) };
}
