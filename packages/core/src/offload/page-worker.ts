/**
 * Worker thread entry: processes pages off the site generator's main thread. It receives
 * the adapter's shared options (structured-clone-safe: no function matchers) once, and
 * answers each { id, html, url } with core's processPage result or an error message.
 *
 * With `manifest` in its data it also ends the build: it loads the previous manifest
 * as soon as it starts (while the site is still rendering), keeps each page's links
 * instead of sending them back, prepared for the manifest (sorted, written as text,
 * diffed), and on `finish` writes the manifest and the outbox.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PingbackFileError } from "../files/file-error.ts";
import type { ManifestPageInput } from "../manifest/build-manifest.ts";
import { finishBuild } from "../manifest/finish-build.ts";
import { type PreparedPage, preparePage } from "../manifest/prepared-page.ts";
import { loadPreviousManifest, type PreviousManifest } from "../manifest/previous-manifest.ts";
import { resolveOptions } from "../options/resolve-options.ts";
import { processPage } from "../page/process-page-fast.ts";
import type { PageResult } from "../page/types.ts";

export interface PageJob {
  id: number;
  html: string;
  url: string;
}

/**
 * A page result without its html (the main thread holds the input and splices the
 * insertion), and without its links when the worker keeps them for the manifest.
 */
export type PageAnswerResult = Omit<PageResult, "html" | "links"> & { links?: string[] };

/** Where the worker's manifest goes and what it is diffed against. */
export interface WorkerManifestSetup {
  /** Absolute state directory. */
  stateDir: string;
  /** Path or URL of the manifest to diff against (default: the one in stateDir). */
  previousManifest?: string | undefined;
}

/** The end of the build: pages by job id (kept here) or given whole (done elsewhere). */
export interface FinishRequest {
  pages: (number | ManifestPageInput)[];
  publishDir?: string | undefined;
  writeOutbox?: boolean | undefined;
}

/** What finishing gives the main thread: the counts for its log line, and warnings. */
export interface FinishSummary {
  summary: { pages: number; enabled: number; links: number; added: number; removed: number };
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
  | { finished: FinishSummary }
  | { finishFailed: SentError };

export type WorkerMessage = PageJob[] | { finish: FinishRequest };

const options = resolveOptions(workerData.options, workerData.packageName);
const manifestSetup = workerData.manifest as WorkerManifestSetup | undefined;
const port = parentPort;

/** The pages this worker processed, by job id (manifest mode only). */
const kept = new Map<number, PreparedPage | ManifestPageInput>();
/** Set once the previous manifest has loaded: pages are prepared from then on. */
let loaded: PreviousManifest | undefined;
const previous: Promise<PreviousManifest | Error> | undefined = manifestSetup
  ? loadPreviousManifest(manifestSetup.stateDir, manifestSetup.previousManifest).then(
      (manifest) => {
        loaded = manifest;
        return manifest;
      },
      (error: Error) => error,
    )
  : undefined;

function answer(job: PageJob): PageAnswer {
  try {
    // Sending the page back would copy ~the whole page again; the insertion is enough.
    const { html: _html, links, ...rest } = processPage(job.html, job.url, options);
    if (!manifestSetup) return { id: job.id, result: { ...rest, links } };
    const page = { url: job.url, pingback: rest.pingback, links };
    kept.set(job.id, loaded ? preparePage(page, loaded.manifest) : page);
    return { id: job.id, result: rest };
  } catch (error) {
    return { id: job.id, error: (error as Error).message };
  }
}

function sendable(error: Error): SentError {
  return error instanceof PingbackFileError
    ? {
        message: error.message,
        file: { file: error.file, pointer: error.pointer, expected: error.expected },
      }
    : { message: error.message };
}

async function finish(request: FinishRequest): Promise<PageAnswer> {
  if (!manifestSetup || !previous) {
    return { finishFailed: { message: "this page worker was not started to write a manifest" } };
  }
  try {
    const previousManifest = await previous;
    if (previousManifest instanceof Error) throw previousManifest;
    const pages: (PreparedPage | ManifestPageInput)[] = [];
    for (const page of request.pages) {
      if (typeof page !== "number") pages.push(page);
      else {
        const found = kept.get(page);
        if (!found) throw new Error(`page worker has no page ${page}`);
        pages.push(found);
      }
    }
    const finished = await finishBuild({
      pages,
      options: { ...options, stateDir: manifestSetup.stateDir },
      previous: previousManifest,
      writeOutbox: request.writeOutbox,
      ...(request.publishDir === undefined ? {} : { publishDir: request.publishDir }),
    });
    return { finished: { summary: finished.summary, warnings: finished.warnings } };
  } catch (error) {
    return { finishFailed: sendable(error as Error) };
  }
}

// Jobs come in batches and go back in one message per batch: a message costs about
// as much as processing a small page.
port?.on("message", (message: WorkerMessage) => {
  if (Array.isArray(message)) port.postMessage(message.map(answer));
  else void finish(message.finish).then((done) => port.postMessage([done]));
});
// Imports are loaded by now: pages can come.
port?.postMessage([{ ready: true }] satisfies PageAnswer[]);
