import path from "node:path";

/** How Astro lays out built pages (`build.format`). */
export type BuildFormat = "directory" | "file" | "preserve";

/** Astro's status-code pages: never pingback targets, never sources. */
const STATUS_CODE_PAGES = new Set(["404", "500"]);

/**
 * Whether a page name from `astro:build:done` is an error page, at the root or under
 * a locale ("fr/404"), the way @astrojs/sitemap recognises them.
 */
export function isStatusCodePage(pathname: string): boolean {
  const trimmed = pathname.replace(/^\/+|\/+$/g, "");
  const last = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return STATUS_CODE_PAGES.has(last);
}

/**
 * The deployed URL of a prerendered page. `pathname` is a page name as
 * `astro:build:done` reports it: relative to `base`, without a leading slash, and
 * already ending with "/" exactly when Astro's `trailingSlash` and `build.format`
 * say the page's URL does ("" is the home page). `siteRoot` is `site` joined with
 * `base`, ending with "/". This is how Astro's own sitemap builds page URLs.
 */
export function pageUrl(siteRoot: URL, pathname: string): URL {
  const relative = pathname.replace(/^\/+/, "");
  return new URL(siteRoot.pathname + encodePath(relative), siteRoot);
}

/**
 * Astro page names are raw text: escape the characters a URL parser would read as
 * syntax ("%", "?", "#"); the parser percent-encodes the rest (spaces, non-ASCII).
 */
function encodePath(raw: string): string {
  return raw.replace(/[%?#]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Where Astro wrote a page, relative to the output directory, most likely first.
 * Mirrors Astro's getOutFolder/getOutFile: `directory` writes `name/index.html`,
 * `file` writes `name.html`, and `preserve` follows the source file (`about.astro`
 * or `about/index.astro`), which the page name does not tell, so both are listed.
 */
export function pageOutputCandidates(pathname: string, format: BuildFormat): string[] {
  const name = pathname.replace(/^\/+|\/+$/g, "");
  if (name === "") return ["index.html"];
  const asDirectory = path.posix.join(name, "index.html");
  const asFile = `${name}.html`;
  switch (format) {
    case "directory":
      return [asDirectory];
    case "file":
      return [asFile];
    case "preserve":
      return pathname.endsWith("/") ? [asDirectory, asFile] : [asFile, asDirectory];
  }
}
