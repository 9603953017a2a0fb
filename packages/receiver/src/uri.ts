/** Longest source or target URI accepted, in characters (browsers' practical limit is far above real permalinks). */
export const DEFAULT_MAX_URI_LENGTH = 2048;

export type UriCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Accepts an absolute http(s) URI without userinfo, within `maxLength`.
 * Only the syntax is judged here: whether the host is allowed is decided on the
 * address actually connected to, never on this string.
 */
export function checkUri(value: string, maxLength = DEFAULT_MAX_URI_LENGTH): UriCheck {
  if (value.length === 0) return { ok: false, reason: "empty" };
  if (value.length > maxLength) return { ok: false, reason: "too long" };
  // Controls and whitespace inside a URI are a smuggling attempt, not a typo the URL parser should fix.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return { ok: false, reason: "contains a control or space" };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: "not an absolute URI" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: "not http or https" };
  }
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "has userinfo" };
  if (url.hostname === "") return { ok: false, reason: "no host" };
  return { ok: true, url };
}

/**
 * The form two URIs are compared and stored in: WHATWG-parsed (scheme and host
 * lower-cased, default port dropped, dot segments resolved, percent-encoding of
 * unsafe characters normalised) with the fragment removed. Query strings and
 * path case are significant and kept.
 */
export function normaliseUri(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = "";
  return copy.href;
}

/**
 * The variants of a page URL that name the same page on a static host:
 * `/a`, `/a/` and `/a/index.html` are one page.
 */
export function pageUrlVariants(normalised: string): string[] {
  const url = new URL(normalised);
  const variants = new Set([url.href]);
  const path = url.pathname;
  const withPath = (p: string) => {
    const v = new URL(url.href);
    v.pathname = p;
    return v.href;
  };
  if (path.endsWith("/index.html")) {
    variants.add(withPath(path.slice(0, -"index.html".length)));
  } else if (path.endsWith("/")) {
    variants.add(withPath(`${path}index.html`));
    if (path !== "/") variants.add(withPath(path.slice(0, -1)));
  } else {
    variants.add(withPath(`${path}/`));
  }
  return [...variants];
}
