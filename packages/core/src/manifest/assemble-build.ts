import type { ResolvedOptions } from "../options/types.ts";
import { type ManifestPageInput, mergeContentHash } from "./build-manifest.ts";
import { baselineOutbox, sortedLinks } from "./diff-manifests.ts";
import { type EntryBytes, entryData } from "./entry-file.ts";
import { type PreparedPage, preparedLinks, preparePage, rediff } from "./prepared-page.ts";
import type { PreviousPages } from "./previous-pages.ts";
import type { LinkPair, Outbox } from "./types.ts";

/** A build's manifest (its file's bytes, and what it holds, counted) and its outbox. */
export interface AssembledBuild {
  /** What the manifest holds, counted: pages, pages taking part, links. */
  counts: { pages: number; enabled: number; links: number };
  /**
   * Exactly formatJson(manifest) in UTF-8, as chunks (the pages' prepared entries and
   * what joins them) to write one after the other: never copied into one buffer. Each
   * pass reads again the entries that are in files.
   */
  manifestChunks: Iterable<Uint8Array>;
  outbox: Outbox;
}

const ENTRY_SEPARATOR = Buffer.from(",\n");

function isPrepared(page: PreparedPage | ManifestPageInput): page is PreparedPage {
  return "entry" in page;
}

/**
 * The manifest and outbox of a build from its pages, prepared (see prepared-page.ts)
 * or not. The result is the same as buildManifest, formatJson and diffManifests give
 * (the tests compare them); what is left to do here is linear in the number of pages,
 * not of links, for pages prepared against the same previous manifest. A URL seen
 * twice (two outputs for one page) keeps the union of links and is enabled if either is.
 */
export function assembleBuild(
  pages: Iterable<PreparedPage | ManifestPageInput>,
  previous: PreviousPages | undefined,
  options: Pick<ResolvedOptions, "site" | "endpoint" | "webmentionEndpoint">,
  generatedAt: Date = new Date(),
): AssembledBuild {
  const byUrl = new Map<string, PreparedPage>();
  for (const page of pages) {
    const seen = byUrl.get(page.url);
    if (seen) {
      const union = {
        url: page.url,
        pingback: seen.pingback || page.pingback,
        contentHash: mergeContentHash(seen.contentHash, page.contentHash),
      };
      const links = [
        ...preparedLinks(seen),
        ...(isPrepared(page) ? preparedLinks(page) : page.links),
      ];
      byUrl.set(page.url, preparePage({ ...union, links }, previous));
    } else {
      byUrl.set(page.url, isPrepared(page) ? rediff(page, previous) : preparePage(page, previous));
    }
  }
  const urls = [...byUrl.keys()].sort();
  const head = {
    version: 1 as const,
    site: options.site.href,
    endpoint: options.endpoint,
    webmentionEndpoint: options.webmentionEndpoint,
    generatedAt: generatedAt.toISOString(),
  };
  // formatJson's layout: the head's fields, then "pages" with the prepared entries.
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  const chunks: EntryBytes[] = [
    Buffer.from(`${headText},\n  "pages": ${urls.length === 0 ? "{}" : "{\n"}`),
  ];
  const counts = { pages: urls.length, enabled: 0, links: 0 };
  for (const [k, url] of urls.entries()) {
    const page = byUrl.get(url) as PreparedPage;
    if (page.pingback) counts.enabled++;
    counts.links += page.linkCount;
    if (k > 0) chunks.push(ENTRY_SEPARATOR);
    chunks.push(page.entry);
  }
  chunks.push(Buffer.from(urls.length === 0 ? "\n}\n" : "\n  }\n}\n"));
  const manifestChunks = {
    *[Symbol.iterator]() {
      for (const chunk of chunks) yield entryData(chunk);
    },
  };
  return {
    counts,
    manifestChunks,
    outbox: outboxOf(urls, byUrl, previous, head.generatedAt),
  };
}

/** diffManifests' result, from the pages' own diffs and the pages that went away. */
function outboxOf(
  urls: readonly string[],
  byUrl: ReadonlyMap<string, PreparedPage>,
  previous: PreviousPages | undefined,
  generatedAt: string,
): Outbox {
  if (previous === undefined) return baselineOutbox(generatedAt);
  const gone = previous.urls;
  const added: LinkPair[] = [];
  const removed: LinkPair[] = [];
  const pagesAdded: string[] = [];
  const pagesRemoved: string[] = [];
  let i = 0;
  let j = 0;
  // Both lists are sorted: walk them together so pairs come out by source, then target.
  while (i < urls.length || j < gone.length) {
    const now = urls[i];
    const old = gone[j];
    if (old === undefined || (now !== undefined && now < old)) {
      const page = byUrl.get(now as string) as PreparedPage;
      pagesAdded.push(page.url);
      for (const target of page.added) added.push({ source: page.url, target });
      i++;
    } else if (now === undefined || old < now) {
      pagesRemoved.push(old);
      for (const target of sortedLinks(previous.page(old)?.links ?? [])) {
        removed.push({ source: old, target });
      }
      j++;
    } else {
      const page = byUrl.get(now) as PreparedPage;
      for (const target of page.added) added.push({ source: page.url, target });
      for (const target of page.removed) removed.push({ source: page.url, target });
      i++;
      j++;
    }
  }
  return {
    version: 1,
    generatedAt,
    previousGeneratedAt: previous.generatedAt,
    added,
    removed,
    pagesAdded,
    pagesRemoved,
  };
}
