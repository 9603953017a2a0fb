/**
 * Worker thread entry: processes pages off the site generator's main thread. It receives
 * the adapter's shared options (structured-clone-safe: no function matchers) once, and
 * answers each { id, html, url } with core's processPage result or an error message.
 *
 * With `manifest` in its data it also ends the build (see worker-build.ts): it keeps
 * each page's links instead of sending them back, and on `finish` writes the manifest
 * and the outbox.
 */

import { parentPort, workerData } from "node:worker_threads";
import { PingbackFileError } from "../files/file-error.ts";
import { resolveOptions } from "../options/resolve-options.ts";
import type { HeadLinkElement } from "../page/link-element.ts";
import { linksOutsideArticle } from "../page/outside-article.ts";
import { processPage } from "../page/process-page.ts";
import type {
  FinishRequest,
  PageAnswer,
  PageJob,
  SentError,
  WorkerManifestSetup,
  WorkerMessage,
} from "./page-worker-messages.ts";
import { pageOfJob, textLength } from "./page-worker-messages.ts";
import { WorkerBuild } from "./worker-build.ts";

const options = resolveOptions(workerData.options, workerData.packageName);
const manifestSetup = workerData.manifest as WorkerManifestSetup | undefined;
/** The link elements the build session made once (see page/link-element.ts). */
const linkElements: readonly HeadLinkElement[] | undefined = workerData.linkElements;
/** Characters of page text done so far, read by the main thread (see PageOffload). */
const progress: Int32Array | undefined = workerData.progress;
const port = parentPort;
const build = manifestSetup
  ? new WorkerBuild(manifestSetup, options, workerData.options, linkElements)
  : undefined;

/** A page whose links go back to the main thread (no manifest setup). */
function answer(job: PageJob): PageAnswer {
  try {
    // Sending the page back would copy ~the whole page again; the insertion is enough.
    const { html: _html, scope, ...result } = processPage(job.html, job.url, options, linkElements);
    const outsideArticle = linksOutsideArticle({ scope, links: result.links }, options);
    return { id: job.id, result: { ...result, outsideArticle } };
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
  if (!build) {
    return { finishFailed: { message: "this page worker was not started to write a manifest" } };
  }
  try {
    return { finished: await build.finish(request) };
  } catch (error) {
    return { finishFailed: sendable(error as Error) };
  }
}

// Jobs come in batches and go back in one message per batch: a message costs about
// as much as processing a small page. With a build, pages wait until the previous
// manifest and page cache have loaded (while the site renders), and in order.
let queue: Promise<unknown> = build?.loading ?? Promise.resolve();
/**
 * Answers a batch, counting its text as done before the answers go: the main thread
 * posts held pages when answers arrive, and must see the room they made then. Counted
 * after, an answer could arrive first, find no room, and leave held pages with nothing
 * left to wake them (a build that hangs).
 */
function answerAll(jobs: PageJob[], each: (job: PageJob) => PageAnswer): void {
  const answers = jobs.map((job) => each(pageOfJob(job)));
  if (progress) Atomics.add(progress, 0, textLength(jobs));
  port?.postMessage(answers);
}

port?.on("message", (message: WorkerMessage) => {
  if (Array.isArray(message)) {
    if (!build) answerAll(message, answer);
    else queue = queue.then(() => answerAll(message, (job) => build.answer(job)));
  } else if ("keep" in message) {
    // Only sent with a build (the main thread keeps the links otherwise).
    queue = queue.then(() => {
      for (const page of message.keep) build?.keep(page);
    });
  } else {
    queue = queue.then(() => finish(message.finish).then((done) => port.postMessage([done])));
  }
});
// Imports are loaded by now: pages can come.
port?.postMessage([{ ready: true }] satisfies PageAnswer[]);
// The main thread need not send the pages the page cache holds.
void build?.loading.then(() =>
  port?.postMessage([{ unchangedPages: build.unchangedNotes() }] satisfies PageAnswer[]),
);
