import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { PingbackFileError } from "../files/file-error.ts";
import { pageFingerprint } from "../manifest/page-cache.ts";
import type {
  FinishRequest,
  FinishSummary,
  PageAnswer,
  PageAnswerResult,
  PageJob,
  SentError,
  UnchangedPageNote,
  WorkerManifestSetup,
  WorkerMessage,
} from "./page-worker-messages.ts";

export type {
  FinishRequest,
  FinishSummary,
  PageAnswerResult,
  UnchangedPageNote,
  WorkerManifestSetup,
} from "./page-worker-messages.ts";

/** Pages per message to the worker, so it can start before a long burst ends. */
const BATCH_SIZE = 32;
/**
 * The worker's young generation. Pages arrive in bursts and their links stay until the
 * build ends, so with V8's default for a worker it spends much of its time in
 * scavenges; in ad-hoc A/B runs of the Eleventy benchmark's build, this size ended its
 * work about 0.1 s sooner.
 */
const YOUNG_GENERATION_MB = 32;
/** How long a page may wait for others to share its message, with `trickle` batching. */
const TRICKLE_DELAY_MS = 25;

/**
 * How pages are grouped into messages. `burst` (the default) sends what one synchronous
 * run produced, for a caller that awaits the answers (Eleventy's transforms). `trickle`
 * waits a little for more pages, for a caller that hands over one page at a time and
 * needs the answers only at the end (Astro's middleware): a message per page would cost
 * about as much as the page.
 */
export type Batching = "burst" | "trickle";

/** The worker itself failed (not the page): the caller processes the page inline. */
export class PageWorkerFailed extends Error {
  constructor(cause: Error) {
    super(`page worker failed: ${cause.message}`, { cause });
    this.name = "PageWorkerFailed";
  }
}

/**
 * One worker thread that runs processPage for an adapter, so page work runs on another
 * core while the site generator's main thread goes on (Eleventy writing pages, Astro
 * rendering the next one). Started at the beginning of a build, so it has loaded by the
 * time pages come; if it fails, the pages it held and all later ones are for the caller
 * to process inline. Results are the same either way: the worker runs the very same
 * function on the same options. Answers carry no page text (see PageAnswerResult).
 */
export class PageOffload {
  /** Pages the worker threads of this process have answered (for tests and diagnostics). */
  static answered = 0;
  #options: Record<string, unknown>;
  #packageName: string;
  #manifest: WorkerManifestSetup | undefined;
  #batching: Batching;
  #finishing: { resolve(summary: FinishSummary): void; reject(error: Error): void } | undefined;
  #worker: Worker | undefined;
  #broken = false;
  #nextId = 0;
  /** Jobs not posted yet: sent together at the end of the current synchronous run. */
  #batch: PageJob[] = [];
  #pending = new Map<
    number,
    { resolve(result: PageAnswerResult): void; reject(error: Error): void }
  >();
  #settled!: (ready: boolean) => void;
  /** Resolves true once the worker has loaded, false if it failed first. */
  readonly ready: Promise<boolean> = new Promise((resolve) => {
    this.#settled = resolve;
  });
  /** Pages the page cache holds for this build, by URL (see `lookUp`). */
  #unchanged: Map<string, UnchangedPageNote> | undefined;
  #unchangedKnown!: () => void;
  /**
   * Resolves once the worker has said which pages the page cache holds (it loads the
   * cache while the site renders), or cannot say (no cache, a failed worker).
   */
  readonly unchangedKnown: Promise<void> = new Promise((resolve) => {
    this.#unchangedKnown = () => {
      this.#unchangedSettled = true;
      resolve();
    };
  });
  #unchangedSettled = false;

  /**
   * `options` are the adapter's shared options in structured-clone-safe form (URLs as
   * strings, no function matchers: see `usable`); `packageName` names the adapter in
   * option errors.
   */
  constructor(
    options: Record<string, unknown>,
    packageName: string,
    { manifest, batching = "burst" }: { manifest?: WorkerManifestSetup; batching?: Batching } = {},
  ) {
    this.#options = options;
    this.#packageName = packageName;
    this.#manifest = manifest;
    this.#batching = batching;
    if (!this.usesPageCache) this.#unchangedKnown();
    this.#start();
  }

  /** True when the page cache is on (see `lookUp`). */
  get usesPageCache(): boolean {
    return this.#manifest?.pageCache === true;
  }

  /** True once `unchangedKnown` has resolved. */
  get unchangedIsKnown(): boolean {
    return this.#unchangedSettled;
  }

  /**
   * The page cache's entry for a page, when it holds the page unchanged (once
   * `unchangedKnown`). Then its result is known (the insertion here, the links kept by
   * the worker), so the page need not be sent: name it to `finish` as
   * `{ unchanged: url }`. Only a page the cache has an entry for is fingerprinted here;
   * the worker fingerprints the pages sent to it.
   */
  lookUp(html: string, url: string): UnchangedPageNote | undefined {
    const note = this.#unchanged?.get(url);
    if (!note || this.#broken) return undefined;
    return note.hash === pageFingerprint(html) ? note : undefined;
  }

  /**
   * True when the worker writes the manifest (the `manifest` setup): it then keeps each
   * page's links, its answers carry none, and `finish` ends the build.
   */
  get keepsLinks(): boolean {
    return this.#manifest !== undefined;
  }

  /** Options as a worker can receive them: URL values become their href. */
  static cloneable(options: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(options).map(([key, value]) => [
        key,
        value instanceof URL ? value.href : value,
      ]),
    );
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

  /**
   * A promise of the worker's result (without the page text: apply its `insertion` to
   * the input), or undefined: process this page inline.
   */
  process(html: string, url: string): Promise<PageAnswerResult> | undefined {
    // Jobs are posted even before the worker reports ready: they wait in its port.
    // Waiting for "ready" here would need the main event loop to turn, and Eleventy
    // may not let it between rendering and the transforms.
    if (this.#broken || !this.#worker) return undefined;
    const worker = this.#worker;
    const id = this.#nextId++;
    // While pages are out, the worker keeps the process alive: nothing else may, and
    // Node would exit with Eleventy's transforms still awaiting their results.
    if (this.#pending.size === 0) worker.ref();
    return new Promise<PageAnswerResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Eleventy starts all transforms in one burst: one message per batch, not per page.
      if (this.#batch.length === 0) {
        if (this.#batching === "burst") queueMicrotask(() => this.#flush());
        else setTimeout(() => this.#flush(), TRICKLE_DELAY_MS).unref();
      }
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

  /**
   * Writes manifest.json, outbox.json and the published copy in the worker: `pages`
   * lists the build's pages, each as the id this offload gave it (see `lastId`) or
   * whole when done elsewhere. Rejects with PingbackFileError for an unusable previous
   * manifest (nothing is written then), and with PageWorkerFailed when the worker
   * itself failed (its kept links are gone: redo its pages).
   */
  finish(request: FinishRequest): Promise<FinishSummary> {
    if (this.#broken || !this.#worker) {
      return Promise.reject(new PageWorkerFailed(new Error("the worker is not running")));
    }
    if (this.#finishing) return Promise.reject(new Error("finish is already under way"));
    this.#flush();
    const worker = this.#worker;
    worker.ref();
    return new Promise<FinishSummary>((resolve, reject) => {
      this.#finishing = { resolve, reject };
      worker.postMessage({ finish: request } satisfies WorkerMessage);
    });
  }

  /** The id the last `process` call gave its page (ids count up from 0). */
  get lastId(): number {
    return this.#nextId - 1;
  }

  /** Ends the worker (at the end of a build); the next build starts afresh. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#settled(false);
    this.#unchangedKnown();
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
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        workerData: {
          options: this.#options,
          packageName: this.#packageName,
          manifest: this.#manifest,
        },
      });
    } catch {
      // E.g. an option value that cannot be cloned: every page goes inline.
      this.#broken = true;
      this.#settled(false);
      this.#unchangedKnown();
      return;
    }
    this.#worker = worker;
    worker.on("message", (answers: PageAnswer[]) => {
      for (const answer of answers) {
        if ("ready" in answer) {
          this.#settled(true);
          continue;
        }
        if ("unchangedPages" in answer) {
          this.#unchanged = new Map(answer.unchangedPages.map((note) => [note.url, note]));
          this.#unchangedKnown();
          continue;
        }
        if ("finished" in answer || "finishFailed" in answer) {
          const finishing = this.#finishing;
          this.#finishing = undefined;
          if ("finished" in answer) finishing?.resolve(answer.finished);
          else finishing?.reject(received(answer.finishFailed));
          continue;
        }
        PageOffload.answered++;
        const waiting = this.#pending.get(answer.id);
        if (!waiting) continue;
        this.#pending.delete(answer.id);
        if ("error" in answer) waiting.reject(new Error(answer.error));
        else waiting.resolve(answer.result);
      }
      if (this.#pending.size === 0 && !this.#finishing && this.unchangedIsKnown) worker.unref();
    });
    const fail = (cause: Error) => {
      const error = new PageWorkerFailed(cause);
      this.#broken = true;
      this.#settled(false);
      this.#unchangedKnown();
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
      this.#finishing?.reject(error);
      this.#finishing = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.#pending.size > 0 || this.#finishing)
        fail(new Error(`page worker exited (${code})`));
    });
    // Idle, it must not keep Node alive (in --serve it waits for the next rebuild).
    // After the listeners, since adding a message listener refs the worker again.
    // Until it has said which pages the page cache holds, a transform may be waiting
    // for that with nothing else to keep Node alive.
    if (this.unchangedIsKnown) worker.unref();
  }
}

/** The worker's error, as the main thread's own: a file error stays a PingbackFileError. */
function received(sent: SentError): Error {
  if (sent.file)
    return new PingbackFileError(sent.file.file, sent.file.pointer, sent.file.expected);
  return new Error(sent.message);
}
