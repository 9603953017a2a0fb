import type { ManifestPageInput } from "./build-manifest.ts";
import { mergeWalk, sortedLinks } from "./diff-manifests.ts";
import { sortByCodeUnits } from "./sort-strings.ts";
import type { Manifest } from "./types.ts";

/**
 * One page made ready for the manifest as soon as it is processed: links sorted, its
 * manifest entry already written as text, and its link diff against the previous
 * manifest taken. A page worker prepares each page while the site is still rendering,
 * so the end of the build only sorts page URLs and joins text.
 */
export interface PreparedPage {
  url: string;
  pingback: boolean;
  /** Sorted, de-duplicated. */
  links: string[];
  /** The page's entry in manifest.json (indented for its place there), without separator. */
  entry: string;
  /** The diff below was taken against this manifest (undefined: a first build). */
  diffedAgainst: Manifest | undefined;
  /** Targets linked now and not in `diffedAgainst`, and the reverse; both sorted. */
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

/** The page's entry as JSON.stringify(manifest, null, 2) writes it at depth 2. */
function entryText(url: string, pingback: boolean, links: readonly string[]): string {
  const body = JSON.stringify({ pingback, links }, null, 2).replaceAll("\n", "\n    ");
  return `    ${JSON.stringify(url)}: ${body}`;
}

export function preparePage(page: ManifestPageInput, previous: Manifest | undefined): PreparedPage {
  const links = sortedUnique(page.links);
  const added: string[] = [];
  const removed: string[] = [];
  mergeWalk(
    links,
    sortedLinks(previous?.pages[page.url]?.links ?? []),
    (target) => added.push(target),
    (target) => removed.push(target),
  );
  return {
    url: page.url,
    pingback: page.pingback,
    links,
    entry: entryText(page.url, page.pingback, links),
    diffedAgainst: previous,
    added,
    removed,
  };
}

/**
 * A page whose links are those `previous` already holds for its URL (the page cache
 * found it unchanged): nothing to sort or diff. Undefined when that entry's links are
 * not sorted and unique, as every manifest this package writes has them (so an entry
 * edited by hand is never taken as is).
 */
export function preparedFromManifest(url: string, previous: Manifest): PreparedPage | undefined {
  const page = previous.pages[url];
  if (!page) return undefined;
  const { links } = page;
  for (let k = 1; k < links.length; k++) {
    // `<` on strings compares UTF-16 code units, the manifest's order.
    if (!((links[k - 1] as string) < (links[k] as string))) return undefined;
  }
  return {
    url,
    pingback: page.pingback,
    links,
    entry: entryText(url, page.pingback, links),
    diffedAgainst: previous,
    added: [],
    removed: [],
  };
}

/** The same page, diffed against another previous manifest. */
export function rediff(page: PreparedPage, previous: Manifest | undefined): PreparedPage {
  if (page.diffedAgainst === previous) return page;
  return preparePage(page, previous);
}
