/**
 * @static-pingback/core/received — received pingbacks: load, match, render.
 * Framework-free; the Eleventy plugin and the Astro component both use it.
 *
 *   const received = resolveReceivedOptions(options.received, "@static-pingback/astro", siteUrl);
 *     // throws PingbackOptionsError for a bad option (a config error, at the door)
 *   const { entries, warnings, from } = await loadReceived(received, { cwd });
 *     // never throws: file / JF2 URL / webmention.io (token from $WEBMENTION_IO_TOKEN),
 *     // disk cache (`duration`, `offline`, `cacheDir`), warnings to log, cached/empty on failure
 *   const mine = entriesForUrl(entries, pageUrl, siteUrl);
 *     // absolute URL, or a path resolved against the site (with its base path);
 *     // matches with and without a trailing slash and /index.html
 *   const html = renderPingbacks(mine, { heading, headingLevel, emptyText, formatDate, … });
 *     // "" when empty (unless emptyText); escaped, capped h-cite markup grouped by kind
 *     // (replies, likes, reposts, citing posts); class names in PINGBACK_CLASSES,
 *     // optional default stylesheet `@static-pingback/core/pingbacks.css`
 *
 * `new BuildReceived(options, { cwd, warn })` is what both adapters use per build: load once
 * (`load(base)`), `entries`, `copyAvatars(outDir)`, `reset()` for the next build.
 *
 * `normalizeFeed(json, origin)` turns an already parsed JF2 feed into entries
 * (e.g. for a content-layer loader that fetches by itself).
 */

export { AVATAR_DIR, copyAvatars } from "./avatars.ts";
export { BuildReceived, type BuildReceivedContext } from "./build-received.ts";
export { type GroupedEntries, groupByKind, kindOf, type ResponseKind } from "./kinds.ts";
export {
  type LoadContext,
  type LoadedReceived,
  loadReceived,
  type ReceivedOrigin,
} from "./load.ts";
export { entriesForUrl } from "./match.ts";
export { type NormalizedFeed, normalizeEntry, normalizeFeed } from "./normalize.ts";
export {
  DEFAULT_CACHE_DIR,
  DEFAULT_TOKEN_ENV,
  parseDuration,
  type ReceivedOption,
  type ReceivedSourceOptions,
  type ResolvedReceived,
  resolveReceivedOptions,
  WEBMENTION_IO_API,
} from "./options.ts";
export { PINGBACK_CLASSES, type RenderOptions, renderEntry, renderPingbacks } from "./render.ts";
export { resolveRenderOptions } from "./render-options.ts";
export { escapeHtml, stripInvisible } from "./text.ts";
export type { Jf2Entry, Jf2Feed, ReceivedEntry } from "./types.ts";
