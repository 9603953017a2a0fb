import { hash } from "node:crypto";
import type { PageResult } from "../page/types.ts";
import { type PreparedPage, preparedFromManifest } from "./prepared-page.ts";
import type { Manifest } from "./types.ts";

/**
 * The page cache: for each page of the last full build, a fingerprint of the HTML it
 * was processed from and the insertion processing made. processPage is a pure function
 * of a page's HTML, its URL and the options, so when all three are unchanged the page's
 * result is known: its insertion from the cache, its links from the manifest written
 * with it. A rebuild then skips the page's scan, sort and diff.
 */
export interface PageCache {
  version: 1;
  /** pageCacheKey of the options and code the entries were made with. */
  key: string;
  /** `generatedAt` of the manifest.json written with this cache: its pages hold the links. */
  manifest: string;
  pages: Record<string, PageCacheEntry>;
}

/** What the cache remembers of one page. */
export interface PageCacheEntry {
  /** pageFingerprint of the HTML the page was processed from. */
  hash: string;
  insertion: PageResult["insertion"];
}

/** A cache entry that holds for this build, with the page's manifest entry made ready. */
export interface UnchangedPage extends PageCacheEntry {
  prepared: PreparedPage;
}

/** Fingerprint of a page's HTML: change detection between builds, not security. */
export function pageFingerprint(html: string): string {
  return hash("sha1", html, "base64");
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
 * The entries that hold for a build under `key` whose previous manifest is `manifest`:
 * the cache must have been written with that very manifest (same `generatedAt`) under
 * the same key, and each page must still have its entry there, as written.
 */
export function unchangedPages(
  cache: PageCache | undefined,
  key: string,
  manifest: Manifest | undefined,
): Map<string, UnchangedPage> {
  const unchanged = new Map<string, UnchangedPage>();
  if (!cache || !manifest || cache.key !== key || cache.manifest !== manifest.generatedAt) {
    return unchanged;
  }
  for (const [url, entry] of Object.entries(cache.pages)) {
    const prepared = preparedFromManifest(url, manifest);
    if (prepared) unchanged.set(url, { ...entry, prepared });
  }
  return unchanged;
}

/**
 * The cache's shape, checked by hand: it is small, rebuilt by every full build, and
 * only ever ignored when wrong, so a schema (and its compile time) would buy nothing.
 * Returns what is wrong, or the cache.
 */
export function parsePageCache(value: unknown): PageCache | string {
  if (!isObject(value)) return "is not a JSON object";
  if (value.version !== 1) return `has version ${JSON.stringify(value.version)}, expected 1`;
  if (typeof value.key !== "string" || typeof value.manifest !== "string") {
    return 'lacks its "key" or "manifest" string';
  }
  if (!isObject(value.pages)) return '"pages" is not an object';
  for (const [url, entry] of Object.entries(value.pages)) {
    if (!isEntry(entry)) return `has a malformed entry for ${url}`;
  }
  return value as unknown as PageCache;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isEntry(value: unknown): value is PageCacheEntry {
  if (!isObject(value) || typeof value.hash !== "string") return false;
  const { insertion } = value;
  return (
    insertion === null ||
    (isObject(insertion) &&
      Number.isInteger(insertion.offset) &&
      (insertion.offset as number) >= 0 &&
      typeof insertion.text === "string")
  );
}
