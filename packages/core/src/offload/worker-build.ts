import type { ManifestPageInput } from "../manifest/build-manifest.ts";
import { EntryFile } from "../manifest/entry-file.ts";
import { finishBuild } from "../manifest/finish-build.ts";
import {
  fileDigest,
  PAGE_CACHE_VERSION,
  type PageCache,
  type PageCacheEntry,
  pageCacheKey,
  pageFingerprint,
  type UnchangedPage,
  unchangedPages,
} from "../manifest/page-cache.ts";
import {
  processingCodeFingerprint,
  readPageCache,
  writePageCache,
} from "../manifest/page-cache-file.ts";
import { type PreparedPage, preparePage } from "../manifest/prepared-page.ts";
import { loadPreviousManifest, type PreviousManifest } from "../manifest/previous-manifest.ts";
import type { ResolvedOptions } from "../options/types.ts";
import type { HeadLinkElement } from "../page/link-element.ts";
import { answerPage } from "./answer-page.ts";
import type {
  FinishRequest,
  FinishSummary,
  PageAnswer,
  PageDoneElsewhere,
  PageJob,
  UnchangedPageNote,
  WorkerManifestSetup,
} from "./page-worker-messages.ts";

/** A page of this build as the worker holds it until the manifest is written. */
interface KeptPage {
  page: PreparedPage | ManifestPageInput;
  /** What the next build's page cache keeps of it (none: not cacheable, e.g. it had warnings). */
  cache: PageCacheEntry | undefined;
  /** Taken from the page cache, not processed. */
  unchanged: boolean;
}

/** What the worker loads while the site renders. */
interface Loaded {
  previous: PreviousManifest;
  /** Page cache entries that hold for this build, by URL. */
  unchanged: Map<string, UnchangedPage>;
  warnings: string[];
}

/**
 * The page worker's share of a build whose manifest it writes (its manifest setup).
 * From the start it loads the previous manifest and, with the page cache on, the cache
 * written with it, while the site still renders. Each page is then answered from the
 * cache when its HTML is unchanged, or processed; either way its manifest entry is
 * made ready (sorted, written as text, diffed) at once, so the end of the build only
 * joins text. `finish` writes manifest.json, outbox.json, the published copy and the
 * next page cache.
 */
export class WorkerBuild {
  readonly #setup: WorkerManifestSetup;
  readonly #options: ResolvedOptions;
  /** The inserted elements, as the build session made them (default: processPage's own). */
  readonly #linkElements: readonly HeadLinkElement[] | undefined;
  /** Set when the page cache is on. */
  readonly #cacheKey: string | undefined;
  readonly #kept = new Map<number, KeptPage>();
  /** The new pages' manifest entries, until the manifest is written (see entry-file.ts). */
  #entries: EntryFile | undefined;
  #loaded: Loaded | undefined;
  /** Settles once the previous manifest (and cache) are loaded, or failed to. */
  readonly loading: Promise<Loaded | Error>;

  /** `rawOptions` are the options as the adapter sent them: they make the cache key. */
  constructor(
    setup: WorkerManifestSetup,
    options: ResolvedOptions,
    rawOptions: Record<string, unknown>,
    linkElements?: readonly HeadLinkElement[] | undefined,
  ) {
    this.#setup = setup;
    this.#linkElements = linkElements;
    this.#options = options;
    this.#cacheKey = setup.pageCache
      ? pageCacheKey(rawOptions, processingCodeFingerprint())
      : undefined;
    this.loading = this.#load().then(
      (loaded) => {
        this.#loaded = loaded;
        return loaded;
      },
      (error: Error) => error,
    );
  }

  async #load(): Promise<Loaded> {
    const { stateDir, previousManifest } = this.#setup;
    // The cache first (it is small): it knows the digest of the manifest written with
    // it, and a manifest with those very bytes needs no schema check.
    const read: { cache: PageCache | undefined; warning?: string | undefined } =
      this.#cacheKey === undefined ? { cache: undefined } : await readPageCache(stateDir);
    const manifestDigest = read.cache?.manifest;
    const previous = await loadPreviousManifest(stateDir, previousManifest, {
      ...(manifestDigest === undefined
        ? {}
        : { trusted: (bytes: Buffer) => fileDigest(bytes) === manifestDigest }),
    });
    const unchanged =
      this.#cacheKey === undefined
        ? new Map<string, UnchangedPage>()
        : unchangedPages(read.cache, this.#cacheKey, previous);
    return { previous, unchanged, warnings: read.warning ? [read.warning] : [] };
  }

  /** The cache entries that hold, for the main thread (it need not send those pages). */
  unchangedNotes(): UnchangedPageNote[] {
    const notes: UnchangedPageNote[] = [];
    for (const [url, page] of this.#loaded?.unchanged ?? []) {
      notes.push({
        url,
        hash: page.hash,
        insertion: page.insertion,
        output: page.output,
        pingback: page.prepared.pingback,
      });
    }
    return notes;
  }

  /** Answers a page (after `loading`): from the page cache when its HTML is unchanged. */
  answer(job: PageJob): PageAnswer {
    try {
      // Fingerprinted here, not on the main thread, which is busy rendering the site.
      const hash = this.#cacheKey === undefined ? undefined : pageFingerprint(job.html);
      const hit = hash === undefined ? undefined : this.#loaded?.unchanged.get(job.url);
      if (hit && hit.hash === hash) {
        this.#kept.set(job.id, { page: hit.prepared, cache: hit, unchanged: true });
        const { insertion } = hit;
        const { pingback, outsideArticle } = hit.prepared;
        return {
          id: job.id,
          result: {
            changed: insertion !== null,
            insertion,
            pingback,
            outsideArticle,
            warnings: [],
          },
        };
      }
      const answered = answerPage(job, {
        options: this.#options,
        linkElements: this.#linkElements,
        hash,
        outputFingerprints: this.#setup.outputFingerprints === true,
      });
      this.#kept.set(job.id, {
        page: this.#prepared(answered.page),
        cache: answered.cache,
        unchanged: false,
      });
      return { id: job.id, result: answered.result };
    } catch (error) {
      return { id: job.id, error: (error as Error).message };
    }
  }

  /** Keeps a page the main thread did itself (see PageOffload.takeOver), as if done here. */
  keep({ id, page, cache }: PageDoneElsewhere): void {
    this.#kept.set(id, { page: this.#prepared(page), cache, unchanged: false });
  }

  /**
   * The page made ready for the manifest against the previous one, once that is loaded.
   * A damaged entry there leaves the page as it is: finishing it again fails the build
   * with the file's error, as any unusable previous manifest does.
   */
  #prepared(page: ManifestPageInput): PreparedPage | ManifestPageInput {
    if (!this.#loaded) return page;
    let prepared: PreparedPage;
    try {
      prepared = preparePage(page, this.#loaded.previous.pages);
    } catch {
      return page;
    }
    // A new entry waits on disk, not in memory (an unchanged one is the previous file's).
    if (prepared.entry instanceof Uint8Array) {
      try {
        this.#entries ??= EntryFile.temporary();
        prepared.entry = this.#entries.append(prepared.entry);
      } catch {
        // No temporary directory, or no room in it: the entry stays in memory, which
        // costs memory but loses nothing (a failed append records no range).
      }
    }
    return prepared;
  }

  /**
   * Writes the build's files. `request.pages` names each page by job id, by URL when the
   * main thread took it from the page cache, or gives it whole (done elsewhere).
   */
  async finish(request: FinishRequest): Promise<FinishSummary> {
    const loaded = await this.loading;
    if (loaded instanceof Error) throw loaded;
    const pages: KeptPage[] = request.pages.map((page) => {
      if (typeof page === "number") {
        const kept = this.#kept.get(page);
        if (!kept) throw new Error(`page worker has no page ${page}`);
        return kept;
      }
      if ("unchanged" in page) {
        const hit = loaded.unchanged.get(page.unchanged);
        if (!hit) throw new Error(`page worker has no cached page ${page.unchanged}`);
        return { page: hit.prepared, cache: hit, unchanged: true };
      }
      return { page, cache: undefined, unchanged: false };
    });
    const { stateDir } = this.#setup;
    let finished: Awaited<ReturnType<typeof finishBuild>>;
    try {
      finished = await finishBuild({
        pages: pages.map((kept) => kept.page),
        options: { ...this.#options, stateDir },
        previous: loaded.previous,
        writeOutbox: request.writeOutbox,
        ...(request.publishDir === undefined ? {} : { publishDir: request.publishDir }),
      });
    } finally {
      // The entries have been written into the manifest (or the build failed): one
      // build per worker build, so nothing reads them again.
      loaded.previous.pages?.close();
      this.#entries?.close();
    }
    const warnings = [...loaded.warnings, ...finished.warnings];
    if (this.#cacheKey !== undefined) {
      const cache = nextCache(pages, this.#cacheKey, finished);
      // After the manifest it goes with; should this fail, the next build finds no
      // cache for that manifest and processes every page.
      try {
        await writePageCache(stateDir, cache);
      } catch (error) {
        warnings.push(`could not write the page cache (${(error as Error).message})`);
      }
    }
    return {
      summary: finished.summary,
      unchanged: pages.filter((kept) => kept.unchanged).length,
      warnings,
    };
  }
}

/** The cache for the next build: every cacheable page whose URL has one output. */
function nextCache(
  pages: readonly KeptPage[],
  key: string,
  written: { manifestDigest: string },
): PageCache {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { page } of pages) (seen.has(page.url) ? twice : seen).add(page.url);
  const entries: PageCache["pages"] = {};
  for (const { page, cache } of pages) {
    // A URL with two outputs has the union of their links in the manifest.
    if (cache && !twice.has(page.url)) {
      const { hash, insertion, output, outsideArticle } = cache;
      entries[page.url] = {
        hash,
        insertion,
        ...(output === undefined ? {} : { output }),
        ...(outsideArticle ? { outsideArticle } : {}),
      };
    }
  }
  return {
    version: PAGE_CACHE_VERSION,
    key,
    manifest: written.manifestDigest,
    pages: entries,
  };
}
