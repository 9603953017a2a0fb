import { compareStrings } from "./build-manifest.ts";
import type { LinkPair, Manifest, Outbox } from "./types.ts";

const SEPARATOR = "\u0000";

function pairKeys(manifest: Manifest | undefined): Set<string> {
  const keys = new Set<string>();
  if (!manifest) return keys;
  for (const [source, page] of Object.entries(manifest.pages)) {
    for (const target of page.links) keys.add(`${source}${SEPARATOR}${target}`);
  }
  return keys;
}

function toPairs(keys: Iterable<string>): LinkPair[] {
  return [...keys].sort(compareStrings).map((key) => {
    const [source, target] = key.split(SEPARATOR) as [string, string];
    return { source, target };
  });
}

function difference<T>(a: Set<T>, b: Set<T>): T[] {
  return [...a].filter((item) => !b.has(item));
}

/**
 * What changed between the previous build's manifest and this one: link pairs and
 * pages added and removed, sorted. With no previous manifest every pair is "added";
 * the sender decides what a first run means (by default a baseline, nothing sent).
 */
export function diffManifests(previous: Manifest | undefined, next: Manifest): Outbox {
  const before = pairKeys(previous);
  const after = pairKeys(next);
  const pagesBefore = new Set(Object.keys(previous?.pages ?? {}));
  const pagesAfter = new Set(Object.keys(next.pages));
  return {
    version: 1,
    generatedAt: next.generatedAt,
    previousGeneratedAt: previous?.generatedAt ?? null,
    added: toPairs(difference(after, before)),
    removed: toPairs(difference(before, after)),
    pagesAdded: difference(pagesAfter, pagesBefore).sort(compareStrings),
    pagesRemoved: difference(pagesBefore, pagesAfter).sort(compareStrings),
  };
}
