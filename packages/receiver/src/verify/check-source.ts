import type { CitingPost } from "../store/types.ts";
import { decodeBody, isHtmlType, mediaTypeOf } from "./decode.ts";
import { documentBase, findLinkTo } from "./find-link.ts";
import { parseDocument } from "./html-tree.ts";
import { extractCitingPost } from "./metadata.ts";

/** A fetched source, as the guarded client returns it. */
export interface FetchedSource {
  /** Final URL after redirects: the base for relative links. */
  url: string;
  contentType: string | null;
  body: Uint8Array;
}

export type SourceCheck = { ok: true; post: CitingPost } | { ok: false; faultCode: 17 };

/**
 * Pure: does the fetched source link to one of `targets` (normalised URLs)?
 * Only HTML can be verified: other text types, and anything else, cannot hold
 * an `a` element and answer 17.
 */
export function checkSource(source: FetchedSource, targets: ReadonlySet<string>): SourceCheck {
  if (!isHtmlType(mediaTypeOf(source.contentType))) return { ok: false, faultCode: 17 };
  const tree = parseDocument(decodeBody(source.body, source.contentType));
  const base = documentBase(tree, source.url);
  const link = findLinkTo(tree, base, targets);
  if (!link) return { ok: false, faultCode: 17 };
  return { ok: true, post: extractCitingPost(tree, base, link) };
}
