import { TextDecoder } from "node:util";

/**
 * Decodes a fetched body the way a browser would, simplified: the charset of
 * the Content-Type header, else a `<meta charset>` / `http-equiv` declaration
 * in the first 1024 bytes, else a byte-order mark, else UTF-8. An unknown or
 * hostile label falls back to UTF-8 rather than failing.
 */
export function decodeBody(body: Uint8Array, contentType: string | null): string {
  const label =
    charsetOf(contentType ?? "") ?? sniffMetaCharset(body) ?? bomCharset(body) ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(body);
}

function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([\w.:-]{1,40})"?/i.exec(contentType);
  return match?.[1];
}

function sniffMetaCharset(body: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(body.subarray(0, 1024));
  const match = /<meta[^>]+charset\s*=\s*["']?([\w.:-]{1,40})/i.exec(head);
  return match?.[1];
}

function bomCharset(body: Uint8Array): string | undefined {
  if (body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  if (body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  return undefined;
}

/** The media type alone, lower-cased: `text/html; charset=x` → `text/html`. */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** HTML (or XHTML), the only types whose links can be verified. */
export function isHtmlType(mediaType: string): boolean {
  return mediaType === "text/html" || mediaType === "application/xhtml+xml";
}
