/**
 * The deployed base of the site: the `site` option, or, when `site` has no path, the
 * site's origin with Eleventy's pathPrefix. `conflict` is set when both give a
 * different path (the site option wins: it is the deployed URL).
 */
export function siteBase(
  site: URL,
  pathPrefix: string | undefined,
): { base: URL; conflict: boolean } {
  const prefix = normalizePrefix(pathPrefix);
  if (prefix === "/" || prefix === site.pathname) return { base: site, conflict: false };
  if (site.pathname === "/") return { base: new URL(prefix, site.origin), conflict: false };
  return { base: site, conflict: true };
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return "/";
  let path = prefix.startsWith("/") ? prefix : `/${prefix}`;
  if (!path.endsWith("/")) path += "/";
  return path.replace(/\/{2,}/g, "/");
}

/** A page's absolute deployed URL from Eleventy's `page.url` (which never holds the prefix). */
export function pageUrl(base: URL, url: string): URL {
  return new URL(url.replace(/^\/+/, ""), base);
}

/** True when Eleventy writes this output as an HTML page. */
export function isHtmlOutput(outputPath: string | false): outputPath is string {
  return typeof outputPath === "string" && /\.html?$/i.test(outputPath);
}
