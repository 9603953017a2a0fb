import { createHash } from "node:crypto";

/**
 * A fingerprint of a page's post content: SHA-1 (base64) of the source text of the
 * content scope's outermost elements, start tag to end tag, in document order. It
 * changes when the post changes, not when the layout around it does (navigation, a
 * footer, the mentions rendered below the post), so `send` re-sends Webmentions for
 * edited posts only. Null when no content selector matched. Change detection, not
 * security.
 *
 * `ranges` holds [start, end) offsets into `html`, flat: start0, end0, start1, …
 */
export function contentFingerprint(html: string, ranges: readonly number[]): string | null {
  if (ranges.length === 0) return null;
  const digest = createHash("sha1");
  for (let k = 0; k < ranges.length; k += 2) {
    // A separator, so that two elements never hash as one.
    if (k > 0) digest.update("\0");
    digest.update(html.slice(ranges[k], ranges[k + 1]));
  }
  return digest.digest("base64");
}
