/** `href` as written in a page, resolved against `base`; undefined when it is not a URL. */
export function resolveHref(href: string, base: string): URL | undefined {
  try {
    return new URL(href.trim(), base);
  } catch {
    return undefined;
  }
}
