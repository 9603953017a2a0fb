import { compareStrings } from "./build-manifest.ts";
import type { LinkPair, Manifest, Outbox } from "./types.ts";

/**
 * Walks two sorted lists at once, handing each item to `onlyA` or `onlyB` when the
 * other list lacks it. Manifests keep pages and links sorted, so a diff is linear.
 */
export function mergeWalk(
  a: readonly string[],
  b: readonly string[],
  onlyA: (item: string) => void,
  onlyB: (item: string) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) {
      onlyA(x as string);
      i++;
    } else if (x === undefined || y < x) {
      onlyB(y);
      j++;
    } else {
      i++;
      j++;
    }
  }
}

/** Sorted copy, unless it is sorted already (it is, for manifests we wrote). */
export function sortedLinks(values: readonly string[]): readonly string[] {
  for (let k = 1; k < values.length; k++) {
    if (compareStrings(values[k - 1] as string, values[k] as string) > 0) {
      return [...values].sort(compareStrings);
    }
  }
  return values;
}

/**
 * A first build's outbox: no previous manifest, so nothing is news. It lists no pair
 * (every pair of the manifest is the baseline; the sender reads the manifest), which
 * keeps it a few hundred bytes where listing every pair as "added" took megabytes.
 */
export function baselineOutbox(generatedAt: string): Outbox {
  return {
    version: 1,
    generatedAt,
    previousGeneratedAt: null,
    added: [],
    removed: [],
    pagesAdded: [],
    pagesRemoved: [],
  };
}

/**
 * What changed between the previous build's manifest and this one: link pairs and
 * pages added and removed, sorted by source then target. With no previous manifest
 * the outbox is the baseline (baselineOutbox); the sender decides what a first run
 * means (by default a baseline, nothing sent).
 */
export function diffManifests(previous: Manifest | undefined, next: Manifest): Outbox {
  if (previous === undefined) return baselineOutbox(next.generatedAt);
  const before = previous.pages;
  const after = next.pages;
  const added: LinkPair[] = [];
  const removed: LinkPair[] = [];
  const pagesAdded: string[] = [];
  const pagesRemoved: string[] = [];
  const sources = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(
    compareStrings,
  );
  for (const source of sources) {
    const old = before[source];
    const now = after[source];
    if (!old) pagesAdded.push(source);
    if (!now) pagesRemoved.push(source);
    mergeWalk(
      sortedLinks(now?.links ?? []),
      sortedLinks(old?.links ?? []),
      (target) => added.push({ source, target }),
      (target) => removed.push({ source, target }),
    );
  }
  return {
    version: 1,
    generatedAt: next.generatedAt,
    previousGeneratedAt: previous.generatedAt,
    added,
    removed,
    pagesAdded,
    pagesRemoved,
  };
}
