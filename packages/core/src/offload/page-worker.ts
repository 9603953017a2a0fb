/**
 * Worker thread entry: processes pages off the site generator's main thread. It receives
 * the adapter's shared options (structured-clone-safe: no function matchers) once, and
 * answers each { id, html, url } with core's processPage result or an error message.
 */
import { parentPort, workerData } from "node:worker_threads";
import { resolveOptions } from "../options/resolve-options.ts";
import { processPage } from "../page/process-page-fast.ts";
import type { PageResult } from "../page/types.ts";

export interface PageJob {
  id: number;
  html: string;
  url: string;
}

/** A page result without its html: the main thread holds the input and splices the insertion. */
export type PageAnswerResult = Omit<PageResult, "html">;

export type PageAnswer =
  | { id: number; result: PageAnswerResult }
  | { id: number; error: string }
  | { ready: true };

const options = resolveOptions(workerData.options, workerData.packageName);
const port = parentPort;

function answer(job: PageJob): PageAnswer {
  try {
    // Sending the page back would copy ~the whole page again; the insertion is enough.
    const { html: _html, ...result } = processPage(job.html, job.url, options);
    return { id: job.id, result };
  } catch (error) {
    return { id: job.id, error: (error as Error).message };
  }
}

// Jobs come in batches and go back in one message per batch: a message costs about
// as much as processing a small page.
port?.on("message", (jobs: PageJob[]) => {
  port.postMessage(jobs.map(answer));
});
// Imports are loaded by now: pages can come.
port?.postMessage([{ ready: true }] satisfies PageAnswer[]);
