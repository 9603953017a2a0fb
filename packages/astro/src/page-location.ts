import path from "node:path";
import type { WrittenPageFiles } from "@static-pingback/core/build";

/** How Astro lays out built pages (`build.format`). */
export type BuildFormat = "directory" | "file" | "preserve";

/** Astro writes these root pages as `404.html` / `500.html` whatever the build format. */
const STATUS_CODE_PAGES = new Set(["404", "500"]);

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
 * The root 404 and 500 pages are always `404.html` and `500.html`.
 */
export function pageOutputCandidates(pathname: string, format: BuildFormat): string[] {
  const name = pathname.replace(/^\/+|\/+$/g, "");
  if (name === "") return ["index.html"];
  if (STATUS_CODE_PAGES.has(name)) return [`${name}.html`, `${name}/index.html`];
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

/**
 * The key the middleware's side and the written files agree on for a page: the URL path
 * without the ending the build format adds ("/", ".html", "/index.html"). Astro's
 * request for `posts/a` is `/posts/a/`, `/posts/a` or `/posts/a.html`; its page name
 * gives `/posts/a/` or `/posts/a`.
 */
export function outputKey(pathname: string): string {
  return pathname.replace(/(?:\/index\.html|\.html|\/)$/, "");
}

/**
 * Every prerendered page of `astro:build:done` (`pages[].pathname`) with the files Astro
 * may have written it to, for core's build session: it recognises the pages the
 * middleware handled (nothing written) and processes the rest from their files. Error
 * pages (404, 500) are recorded as not taking part, as core's default `exclude` says.
 */
export function builtPages(
  site: URL,
  outDir: string,
  pageNames: readonly string[],
  format: BuildFormat,
): WrittenPageFiles[] {
  return pageNames.map((name) => {
    const url = pageUrl(site, name);
    const files = pageOutputCandidates(name, format).map((candidate) =>
      path.join(outDir, ...candidate.split("/")),
    );
    return { url, key: outputKey(url.pathname), files };
  });
}
