import type { ReceivedEntry } from "./types.ts";

/**
 * The form targets are compared in: no fragment, and the path without a trailing
 * "/" or "/index.html", so "/post", "/post/" and "/post/index.html" are one page.
 * Host case and default ports are already normalised by URL parsing.
 */
function pathKey(url: URL): string {
  let path = url.pathname.replace(/\/index\.html?$/i, "/");
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return `${path}${url.search}`;
}

interface TargetIndex {
  byUrl: Map<string, ReceivedEntry[]>;
  byPath: Map<string, ReceivedEntry[]>;
}

const indexes = new WeakMap<readonly ReceivedEntry[], TargetIndex>();

function indexOf(entries: readonly ReceivedEntry[]): TargetIndex {
  let index = indexes.get(entries);
  if (index) return index;
  index = { byUrl: new Map(), byPath: new Map() };
  for (const entry of entries) {
    const url = new URL(entry.target);
    const path = pathKey(url);
    push(index.byUrl, `${url.origin}${path}`, entry);
    push(index.byPath, path, entry);
  }
  indexes.set(entries, index);
  return index;
}

function push(map: Map<string, ReceivedEntry[]>, key: string, entry: ReceivedEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/**
 * The entries whose target is the page at `url`, with or without a trailing slash,
 * in the order of `entries`. `url` is absolute, or a path resolved against `site`
 * (e.g. Eleventy's `page.url` with the site URL including any base path); a path
 * with no `site` matches on the path alone, whatever the host. Never throws: an
 * unusable `url` matches nothing. Indexes `entries` once (kept while it lives).
 */
export function entriesForUrl(
  entries: readonly ReceivedEntry[],
  url: string | URL | null | undefined,
  site?: string | URL,
): ReceivedEntry[] {
  if (url === null || url === undefined || entries.length === 0) return [];
  const index = indexOf(entries);
  const text = String(url);
  let parsed: URL;
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text)) parsed = new URL(text);
    else if (site !== undefined) parsed = new URL(text.replace(/^\/+/, ""), withSlash(site));
    else parsed = new URL(text, "http://path.invalid/");
  } catch {
    return [];
  }
  const path = pathKey(parsed);
  const found =
    parsed.host === "path.invalid" && site === undefined
      ? index.byPath.get(path)
      : index.byUrl.get(`${parsed.origin}${path}`);
  return found ? [...found] : [];
}

function withSlash(site: string | URL): string {
  const text = String(site);
  return text.endsWith("/") ? text : `${text}/`;
}
