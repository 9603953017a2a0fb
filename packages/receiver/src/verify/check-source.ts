import { PINGBACK_FAULTS } from "@static-pingback/core/xmlrpc";
import type { CitingPost } from "../store/types.ts";
import { decodeBody, isHtmlType, mediaTypeOf } from "./decode.ts";
import { extractCitingPost, MAX_TITLE_LENGTH, textOrNull } from "./metadata.ts";
import { readMicroformats } from "./microformats.ts";
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
  | { ok: false; faultCode: typeof NO_LINK; reason: RefusalReason };

const NO_LINK = PINGBACK_FAULTS.sourceHasNoLink;

/**
 * Pure: does the fetched source link to one of `targets` (normalised URLs)?
 * Only HTML can be verified: other text types, and anything else, cannot hold
 * an `a` element and answer 17. Only the first 150 KB are searched, in one
 * bounded pass (see SCAN_LIMITS); a page that hits the depth or element cap
 * before the link is refused as too complex. A page the scan read to the end
 * (so within its element and depth caps) is then read for microformats2,
 * which override the plain-HTML facts where they say something.
 */
export function checkSource(source: FetchedSource, targets: ReadonlySet<string>): SourceCheck {
  if (!isHtmlType(mediaTypeOf(source.contentType))) {
    return { ok: false, faultCode: NO_LINK, reason: "not-html" };
  }
  const head = source.body.subarray(0, SCAN_LIMITS.bytes);
  const html = decodeBody(head, source.contentType);
  const page = scanPage(html, source.url, targets);
  if (!page.link) {
    return { ok: false, faultCode: NO_LINK, reason: page.stopped ? "too-complex" : "no-link" };
  }
  const plain = extractCitingPost(page, page.link);
  // The tree parser runs only on pages proven small by the bounded scan.
  const mf = page.stopped ? undefined : readMicroformats(html, page.base, targets);
  if (!mf) return { ok: true, post: { ...plain, property: "mention-of", authorPhoto: null } };
  const hasAuthor = mf.authorName !== null || mf.authorUrl !== null;
  return {
    ok: true,
    post: {
      ...plain,
      property: mf.property ?? "mention-of",
      // Not the scan's first p-name: with microformats, that may be the author's.
      title: mf.title ?? textOrNull(page.title, MAX_TITLE_LENGTH),
      authorName: hasAuthor ? mf.authorName : plain.authorName,
      authorUrl: hasAuthor ? mf.authorUrl : plain.authorUrl,
      authorPhoto: mf.authorPhoto ?? null,
      published: mf.published ?? plain.published,
      excerpt: mf.excerpt,
    },
  };
}
