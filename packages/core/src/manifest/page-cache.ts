import { hash } from "node:crypto";
import { isJsonObject } from "../files/is-json-object.ts";
import type { PageResult } from "../page/types.ts";
import { type PreparedPage, preparedFromManifest } from "./prepared-page.ts";
import type { PreviousManifest } from "./previous-manifest.ts";

/**
 * The page cache: for each page of the last full build, a fingerprint of the HTML it
 * was processed from and the insertion processing made. processPage is a pure function
 * of a page's HTML, its URL and the options, so when all three are unchanged the page's
 * result is known: its insertion from the cache, its links from the manifest written
 * with it. A rebuild then skips the page's scan, sort and diff.
 */
export interface PageCache {
  version: typeof PAGE_CACHE_VERSION;
  /** pageCacheKey of the options and code the entries were made with. */
  key: string;
  /** Digest (fileDigest) of the manifest.json written with this cache: its pages hold the links. */
  manifest: string;
  pages: Record<string, PageCacheEntry>;
}

/** The cache format written now; a file of another format is no cache (and no error). */
// 3: manifest entries carry contentHash; an older cache would keep entries without it.
// 4: entries are found by URL in the manifest's index, no longer by byte range.
// 5: `output` only where the adapter recognises its written pages by it.
export const PAGE_CACHE_VERSION = 5;

/** What the cache remembers of one page. */
export interface PageCacheEntry {
  /** pageFingerprint of the HTML the page was processed from. */
  hash: string;
  insertion: PageResult["insertion"];
  /**
   * pageFingerprint of the page as written (the HTML with the insertion), kept for an
   * adapter that recognises its written files by it (Astro): it then knows what to
   * expect without hashing the page twice. Absent for the others.
   */
  output?: string;
  /** Its links come from outside an article or h-entry (linksOutsideArticle); absent: no. */
  outsideArticle?: boolean;
}

/** A cache entry that holds for this build, with the page's manifest entry made ready. */
export interface UnchangedPage extends PageCacheEntry {
  prepared: PreparedPage;
}

/**
 * Fingerprint of a page's HTML, as text or as its UTF-8 bytes (both give the same):
 * change detection between builds, not security.
 */
export function pageFingerprint(html: string | Uint8Array): string {
  return hash("sha1", html, "base64");
}

/** Digest of a file's bytes (the manifest's): tells this package's own output. */
export function fileDigest(bytes: Uint8Array): string {
  return hash("sha1", bytes, "base64");
}

/**
 * The key entries are valid under: the options a page is processed with (regular
 * expressions by their source and flags) and a fingerprint of the processing code.
 */
export function pageCacheKey(options: Record<string, unknown>, code: string): string {
  const text = JSON.stringify(options, (_key, value: unknown) =>
    value instanceof RegExp ? `RegExp ${String(value)}` : value,
  );
  return hash("sha1", `${code}\n${text}`, "base64");
}

/**
 * The entries that hold for a build under `key` whose previous manifest is `previous`:
 * the cache must have been written under the same key with that very manifest file
 * (its digest, checked by the loader: `trusted`), and the manifest must hold the
 * page's entry, which is then taken from the file's bytes as it is.
 */
export function unchangedPages(
  cache: PageCache | undefined,
  key: string,
  previous: PreviousManifest,
): Map<string, UnchangedPage> {
  const unchanged = new Map<string, UnchangedPage>();
  const { pages, trusted } = previous;
  if (!cache || cache.key !== key || !pages || !trusted) return unchanged;
  for (const [url, entry] of Object.entries(cache.pages)) {
    const prepared = preparedFromManifest(url, pages, entry.outsideArticle === true);
    if (prepared) unchanged.set(url, { ...entry, prepared });
  }
  return unchanged;
}

/**
 * The cache's shape, checked by hand: it is small, rebuilt by every full build, and
 * only ever ignored when wrong, so a schema (and its compile time) would buy nothing.
 * Returns the cache, what is wrong with it, or undefined for a cache of another
 * format (another release wrote it: not damage, so nothing to warn about).
 */
export function parsePageCache(value: unknown): PageCache | string | undefined {
  if (!isJsonObject(value)) return "is not a JSON object";
  if (typeof value.version !== "number") return 'lacks its "version" number';
  if (value.version !== PAGE_CACHE_VERSION) return undefined;
  if (typeof value.key !== "string" || typeof value.manifest !== "string") {
    return 'lacks its "key" or "manifest" string';
  }
  if (!isJsonObject(value.pages)) return '"pages" is not an object';
  for (const [url, entry] of Object.entries(value.pages)) {
    if (!isEntry(entry)) return `has a malformed entry for ${url}`;
  }
  return value as unknown as PageCache;
}

function isEntry(value: unknown): value is PageCacheEntry {
  if (!isJsonObject(value) || typeof value.hash !== "string") return false;
  if (value.output !== undefined && typeof value.output !== "string") return false;
  const { insertion, outsideArticle } = value;
  if (outsideArticle !== undefined && typeof outsideArticle !== "boolean") return false;
  return (
    insertion === null ||
    (isJsonObject(insertion) &&
      Number.isInteger(insertion.offset) &&
      (insertion.offset as number) >= 0 &&
      typeof insertion.text === "string")
  );
}
