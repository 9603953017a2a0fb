/**
 * Sent with every admin answer. No script at all (the page works with plain forms),
 * styles only from our own stylesheet, forms only to ourselves, never framed, no
 * referrer (a source URL clicked from the page learns nothing of it), never cached.
 */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};
