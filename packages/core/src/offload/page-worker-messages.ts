/** What passes between PageOffload (main thread) and its page worker. */
import type { ManifestPageInput } from "../manifest/build-manifest.ts";
import type { BuildSummary } from "../manifest/finish-build.ts";
import type { PageCacheEntry } from "../manifest/page-cache.ts";
import { removeInsertion } from "../page/predict-insertion.ts";
import type { PageResult } from "../page/types.ts";

type Insertion = NonNullable<PageResult["insertion"]>;

export interface PageJob {
  id: number;
  html: string;
  url: string;
  /**
   * `html` is the page as handed back to the site generator, with this insertion made
   * (see `pageOfJob`). A page waiting to be posted is then the very string the
   * generator keeps, not a second copy of the page beside it.
   */
  inserted?: Insertion | undefined;
}

/** The page a job is about: its HTML as it came, before the insertion handed back. */
export function pageOfJob(job: PageJob): { id: number; html: string; url: string } {
  const { id, url, inserted } = job;
  return { id, url, html: inserted ? removeInsertion(job.html, inserted) : job.html };
}

/**
 * A page result without its html (the main thread holds the input and splices the
 * insertion), and without its links when the worker keeps them for the manifest.
 */
export type PageAnswerResult = Omit<PageResult, "html" | "links" | "scope" | "contentHash"> & {
  links?: readonly string[];
  /** With `links`: the page's content fingerprint (the worker keeps it with kept links). */
  contentHash?: string | null;
  /** linksOutsideArticle of the page, worked out where its scope is known. */
  outsideArticle: boolean;
};

/** Where the worker's manifest goes and what it is diffed against. */
export interface WorkerManifestSetup {
  /** Absolute state directory. */
  stateDir: string;
  /** Path or URL of the manifest to diff against (default: the one in stateDir). */
  previousManifest?: string | undefined;
  /**
   * Use and write the page cache (stateDir/page-cache.json), so pages unchanged since
   * the last full build are not processed again. It goes with the manifest in stateDir,
   * so it is only used when that is also the manifest diffed against.
   */
  pageCache?: boolean | undefined;
  /** Keep each page's fingerprint as written in the page cache (see PageCacheEntry.output). */
  outputFingerprints?: boolean | undefined;
}

/** A page the page cache holds for this build, as the main thread is told of it. */
export interface UnchangedPageNote {
  url: string;
  hash: string;
  insertion: PageResult["insertion"];
  /** pageFingerprint of the page as written (with the insertion), when the cache keeps it. */
  output?: string | undefined;
  pingback: boolean;
}

/**
 * The end of the build: pages by job id (kept by the worker), by URL when the main
 * thread took them from the page cache, or given whole (done elsewhere).
 */
export interface FinishRequest {
  pages: (number | { unchanged: string } | ManifestPageInput)[];
  publishDir?: string | undefined;
  writeOutbox?: boolean | undefined;
}

/** What finishing gives the main thread: the counts for its log line, and warnings. */
export interface FinishSummary {
  summary: BuildSummary;
  /** Pages taken from the page cache, not processed again. */
  unchanged?: number | undefined;
  warnings: string[];
}

/** An error crossing back to the main thread, with a file error's parts. */
export interface SentError {
  message: string;
  file?: { file: string; pointer: string; expected: string };
}

export type PageAnswer =
  | { id: number; result: PageAnswerResult }
  | { id: number; error: string }
  | { ready: true }
  | { unchangedPages: UnchangedPageNote[] }
  | { finished: FinishSummary }
  | { finishFailed: SentError };

/**
 * A page the main thread did itself at the end of a build (see PageOffload.takeOver),
 * for the worker to keep as if it had done it: it writes the manifest and the cache.
 */
export interface PageDoneElsewhere {
  id: number;
  page: ManifestPageInput;
  cache: PageCacheEntry | undefined;
}

export type WorkerMessage = PageJob[] | { keep: PageDoneElsewhere[] } | { finish: FinishRequest };

/**
 * The page text in jobs, in characters: what the main thread counts as sent and the
 * worker as done (see PageOffload's flow control). Kept in an int32 that may wrap:
 * only the difference of the two counts is read.
 */
export function textLength(jobs: readonly PageJob[]): number {
  let length = 0;
  for (const job of jobs) length = (length + job.html.length) | 0;
  return length;
}
