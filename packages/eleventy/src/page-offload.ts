import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { PageResult } from "@static-pingback/core";
import type { PageAnswer, PageAnswerResult, PageJob } from "./page-worker.ts";

/** Pages per message to the worker, so it can start before a long burst ends. */
const BATCH_SIZE = 32;

/** The page result rebuilt from the input the main thread kept and the worker's insertion. */
function withHtml(input: string, result: PageAnswerResult): PageResult {
  const { insertion } = result;
  const html = insertion
    ? input.slice(0, insertion.offset) + insertion.text + input.slice(insertion.offset)
    : input;
  return { ...result, html };
}

/** The worker itself failed (not the page): the caller processes the page inline. */
export class PageWorkerFailed extends Error {
  constructor(cause: Error) {
    super(`page worker failed: ${cause.message}`, { cause });
    this.name = "PageWorkerFailed";
  }
}

/**
 * One worker thread that runs core's processPage for the transform, so page work
 * runs on another core while Eleventy's main thread writes pages (Eleventy calls the
 * transforms of all pages in one burst after rendering, and awaits them). Started at
 * the beginning of a build, so it has loaded by the time the transforms come; if it
 * fails, the pages it held and all later ones are processed inline. Results are the
 * same either way: the worker runs the very same function on the same options.
 */
export class PageOffload {
  /** Pages the worker threads of this process have answered (for tests and diagnostics). */
  static answered = 0;
  #options: Record<string, unknown>;
  #packageName: string;
  #worker: Worker | undefined;
  #broken = false;
  #nextId = 0;
  /** Jobs not posted yet: sent together at the end of the current synchronous run. */
  #batch: PageJob[] = [];
  #pending = new Map<
    number,
    { html: string; resolve(result: PageResult): void; reject(error: Error): void }
  >();
  #settled!: (ready: boolean) => void;
  /** Resolves true once the worker has loaded, false if it failed first. */
  readonly ready: Promise<boolean> = new Promise((resolve) => {
    this.#settled = resolve;
  });

  constructor(options: Record<string, unknown>, packageName: string) {
    this.#options = options;
    this.#packageName = packageName;
    this.#start();
  }

  /** True when options can cross to a worker (no functions) and there is a spare core. */
  static usable(options: Record<string, unknown>): boolean {
    if (availableParallelism() < 2) return false;
    return !Object.values(options).some(
      (value) =>
        typeof value === "function" ||
        (Array.isArray(value) && value.some((v) => typeof v === "function")),
    );
  }

  /** A promise of the result from the worker, or undefined: process this page inline. */
  process(html: string, url: string): Promise<PageResult> | undefined {
    // Jobs are posted even before the worker reports ready: they wait in its port.
    // Waiting for "ready" here would need the main event loop to turn, and Eleventy
    // may not let it between rendering and the transforms.
    if (this.#broken || !this.#worker) return undefined;
    const worker = this.#worker;
    const id = this.#nextId++;
    // While pages are out, the worker keeps the process alive: nothing else may, and
    // Node would exit with Eleventy's transforms still awaiting their results.
    if (this.#pending.size === 0) worker.ref();
    return new Promise<PageResult>((resolve, reject) => {
      this.#pending.set(id, { html, resolve, reject });
      // Eleventy starts all transforms in one burst: one message per batch, not per page.
      if (this.#batch.length === 0) queueMicrotask(() => this.#flush());
      this.#batch.push({ id, html, url });
      if (this.#batch.length >= BATCH_SIZE) this.#flush();
    });
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    const jobs = this.#batch;
    this.#batch = [];
    this.#worker?.postMessage(jobs);
  }

  /** Ends the worker (at the end of a build); the next build starts afresh. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#settled(false);
    if (worker) await worker.terminate();
  }

  #start(): void {
    const entry = new URL(
      import.meta.url.endsWith(".ts") ? "./page-worker.ts" : "./page-worker.js",
      import.meta.url,
    );
    let worker: Worker;
    try {
      worker = new Worker(entry, {
        workerData: { options: this.#options, packageName: this.#packageName },
      });
    } catch {
      // E.g. an option value that cannot be cloned: every page goes inline.
      this.#broken = true;
      this.#settled(false);
      return;
    }
    this.#worker = worker;
    worker.on("message", (answers: PageAnswer[]) => {
      for (const answer of answers) {
        if ("ready" in answer) {
          this.#settled(true);
          continue;
        }
        PageOffload.answered++;
        const waiting = this.#pending.get(answer.id);
        if (!waiting) continue;
        this.#pending.delete(answer.id);
        if ("error" in answer) waiting.reject(new Error(answer.error));
        else waiting.resolve(withHtml(waiting.html, answer.result));
      }
      if (this.#pending.size === 0) worker.unref();
    });
    const fail = (cause: Error) => {
      const error = new PageWorkerFailed(cause);
      this.#broken = true;
      this.#settled(false);
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.#pending.size > 0) fail(new Error(`page worker exited (${code})`));
    });
    // Idle, it must not keep Node alive (in --serve it waits for the next rebuild).
    // After the listeners, since adding a message listener refs the worker again.
    worker.unref();
  }
}
