import {
  entriesForUrl,
  type ReceivedEntry,
  type RenderOptions,
  renderPingbacks,
} from "@static-pingback/core/received";

/**
 * What the integration hands to the rendering side. JSON: it travels to the server
 * build as a virtual module, with the entries already loaded (in Node, by the
 * integration, once per build).
 */
export interface RuntimeConfig {
  /** The site's absolute URL with its base path, ending with "/"; null without a site. */
  site: string | null;
  /** Astro's `build.format`: "file" builds see `Astro.url` ending with ".html". */
  format: string;
  /** Every received entry, oldest first. */
  entries: ReceivedEntry[];
}

/**
 * Binds core's matching and rendering to one site's configuration and entries: every
 * entry, the entries of the page at `url` (`Astro.url`, an absolute URL, or a path), and
 * their escaped h-cite markup ("" when there is none).
 */
export function createPingbackSource(config: RuntimeConfig) {
  const site = config.site === null ? undefined : new URL(config.site);
  const forUrl = (url: URL | string): ReceivedEntry[] =>
    entriesForUrl(config.entries, pageKey(url, site, config.format), site);
  return {
    all: (): ReceivedEntry[] => [...config.entries],
    forUrl,
    html: (url: URL | string, options?: RenderOptions): string =>
      renderPingbacks(forUrl(url), options),
  };
}

/**
 * The page's URL as the manifest names it. `Astro.url` carries the dev or build
 * origin, not necessarily the site's, so only its path is kept (it includes `base`)
 * and put on the site's origin. With `build.format: "file"` Astro.url ends with
 * ".html" while the page is published without it. A path without a leading "/" is
 * relative to the site root (with its base), as in the Eleventy plugin.
 */
export function pageKey(url: URL | string, site: URL | undefined, format: string): string {
  const text = String(url);
  if (!(url instanceof URL) && !text.startsWith("/") && !/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    return text;
  }
  const parsed = new URL(text, site ?? "http://path.invalid/");
  let path = parsed.pathname;
  if (format === "file" && !/\/index\.html?$/i.test(path)) path = path.replace(/\.html?$/i, "");
  return site ? new URL(path + parsed.search, site.origin).href : path + parsed.search;
}
