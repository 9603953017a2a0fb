import type { ManifestPageInput } from "./build-manifest.ts";
import { mergeWalk, sortedLinks } from "./diff-manifests.ts";
import { type EntryBytes, entryText } from "./entry-file.ts";
import type { PreviousPages } from "./previous-pages.ts";
import { sortByCodeUnits } from "./sort-strings.ts";

/**
 * One page made ready for the manifest as soon as it is processed: links sorted, its
 * manifest entry already written as text, and its link diff against the previous
 * manifest taken. A page worker prepares each page while the site is still rendering,
 * so the end of the build only sorts page URLs and joins text.
 */
export interface PreparedPage {
  url: string;
  pingback: boolean;
  /**
   * How many links the entry holds. The links themselves are only in `entry`
   * (`preparedLinks` reads them back): kept as strings, each would hold on to the whole
   * page it was cut from, and a build keeps every page's entry to its end.
   */
  linkCount: number;
  /** See ManifestPageInput. */
  outsideArticle: boolean;
  /** See ManifestPage.contentHash. */
  contentHash?: string | undefined;
  /**
   * The page's entry in manifest.json as UTF-8 (indented for its place there), without
   * separator: encoded page by page, so the end of the build only joins bytes. In a
   * file rather than in memory when the page worker put it there (see entry-file.ts).
   */
  entry: EntryBytes;
  /** The diff below was taken against these pages (undefined: a first build). */
  diffedAgainst: PreviousPages | undefined;
  /**
   * Targets linked now and not in `diffedAgainst`, and the reverse; both sorted, copied
   * out of the page's text. Empty on a first build (no previous manifest): the outbox
   * lists no pairs then.
   */
  added: string[];
  removed: string[];
}

/** Sorted by UTF-16 code units (like compareStrings) and de-duplicated. */
function sortedUnique(links: readonly string[]): string[] {
  const sorted = sortByCodeUnits(links);
  let kept = 0;
  for (let k = 0; k < sorted.length; k++) {
    if (k === 0 || sorted[k] !== sorted[kept - 1]) sorted[kept++] = sorted[k] as string;
  }
  sorted.length = kept;
  return sorted;
}

/** The page's entry as JSON.stringify(manifest, null, 2) writes it at depth 2, as UTF-8. */
function entryBytes(
  url: string,
  pingback: boolean,
  links: readonly string[],
  contentHash: string | undefined,
): Uint8Array {
  const fields = contentHash === undefined ? { pingback, links } : { pingback, links, contentHash };
  const body = JSON.stringify(fields, null, 2).replaceAll("\n", "\n    ");
  return Buffer.from(`${entryStart(url)}${body}`);
}

/** How the page's entry begins: its key, indented. */
export function entryStart(url: string): string {
  return `    ${JSON.stringify(url)}: `;
}

/**
 * Throws PingbackFileError when the previous manifest's entry for the page has to be
 * read and is damaged.
 */
export function preparePage(
  page: ManifestPageInput,
  previous: PreviousPages | undefined,
): PreparedPage {
  const links = sortedUnique(page.links);
  const encoded = entryBytes(page.url, page.pingback, links, page.contentHash);
  // The same bytes as before: nothing changed, and the previous file's copy serves.
  const before = previous?.unchanged(page.url, encoded);
  const added: string[] = [];
  const removed: string[] = [];
  if (previous !== undefined && before === undefined) {
    mergeWalk(
      links,
      sortedLinks(previous.page(page.url)?.links ?? []),
      (target) => added.push(flatCopy(target)),
      (target) => removed.push(target),
    );
  }
  return {
    url: page.url,
    pingback: page.pingback,
    linkCount: links.length,
    outsideArticle: page.outsideArticle ?? false,
    contentHash: page.contentHash,
    entry: before ?? encoded,
    diffedAgainst: previous,
    added,
    removed,
  };
}

/**
 * A page whose links are those `previous` already holds for its URL (the page cache
 * found it unchanged), with its entry as in the previous manifest's file, which this
 * package wrote: nothing to sort, diff or encode.
 */
export function preparedFromManifest(
  url: string,
  previous: PreviousPages,
  outsideArticle = false,
): PreparedPage | undefined {
  const entry = previous.entry(url);
  const page = entry && previous.page(url);
  if (!entry || !page) return undefined;
  return {
    url,
    pingback: page.pingback,
    linkCount: page.links.length,
    outsideArticle,
    contentHash: page.contentHash,
    entry,
    diffedAgainst: previous,
    added: [],
    removed: [],
  };
}

/** The same page, diffed against another previous manifest. */
export function rediff(page: PreparedPage, previous: PreviousPages | undefined): PreparedPage {
  if (page.diffedAgainst === previous) return page;
  return preparePage({ ...page, links: preparedLinks(page) }, previous);
}

/** A prepared page's links, read back from its entry (sorted, de-duplicated). */
export function preparedLinks(page: Pick<PreparedPage, "url" | "entry">): string[] {
  const parsed = JSON.parse(`{${entryText(page.entry)}}`) as Record<string, { links: string[] }>;
  return (parsed[page.url] as { links: string[] }).links;
}

/**
 * The string as a string of its own: a link cut from a page's HTML is a slice that keeps
 * the whole page alive as long as the link is kept.
 */
function flatCopy(value: string): string {
  return Buffer.from(value, "utf8").toString("utf8");
}
