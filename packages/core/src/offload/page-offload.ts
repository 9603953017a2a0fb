import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { StaticPingbackError } from "../errors/static-pingback-error.ts";
import { PingbackFileError } from "../files/file-error.ts";
import { pageFingerprint } from "../manifest/page-cache.ts";
import type { HeadLinkElement } from "../page/link-element.ts";
import type { AnsweredPage } from "./answer-page.ts";
import {
  type FinishRequest,
  type FinishSummary,
  type PageAnswer,
  type PageAnswerResult,
  type PageDoneElsewhere,
  type PageJob,
  pageOfJob,
  type SentError,
  textLength,
  type UnchangedPageNote,
  type WorkerManifestSetup,
  type WorkerMessage,
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
 * The worker's young generation. Pages arrive in bursts; when each page's links were
 * still held in memory to the end of the build, this size ended the worker's work about
 * 0.1 s sooner than V8's default for a worker (ad-hoc A/B runs of the Eleventy
 * benchmark). Entries now wait on disk; 8 MB changed neither peak RSS nor wall time
 * beyond noise in cold 2,000-post builds (ad hoc, 5 each), so the size stays.
 */
const YOUNG_GENERATION_MB = 32;
/** How long a page may wait for others to share its message, with `trickle` batching. */
const TRICKLE_DELAY_MS = 25;
/**
 * Page text (characters) posted to the worker and not yet done, at most. A posted page
 * is a copy of its text in the worker's message queue, and Eleventy hands over all
 * pages in one burst three times faster than the worker gets through them: without a
 * bound, some 40 MB of copies waited there at 10,000 posts (ad-hoc instrumentation). The
 * pages beyond it wait here as the strings they already are, and go as answers come
 * back. Not much lower: right after the burst Eleventy writes every page synchronously,
 * so no answer is read for a while and a worker that has run out of text sits idle. At
 * 4 M characters (about 300 pages of the benchmark's blog) the end of a cold 2,000-post
 * build waited 0.4–0.6 s for the worker, at 16 M 0.1–0.2 s (ad-hoc traces of its batches).
 */
const MAX_TEXT_IN_FLIGHT = 16 * 1024 * 1024;
/**
 * The same bound once this thread has taken over the waiting pages (see `takeOver`):
 * a few batches, so the worker is never idle for want of a page, yet holds little
 * when the two meet, and neither waits long for the other.
 */
const MAX_TEXT_IN_FLIGHT_TAKING_OVER = 1024 * 1024;
/**
 * Page text (characters) that must be waiting for `takeOver` to do anything. This
 * thread has not run the page scan before, so its first pages run cold (the worker's
 * first 200 took 170–260 ms, and compiling the scan costs as much again on V8's
 * background threads): with 100–500 pages waiting at the end of cold 2,000-post builds
 * the take-over cost 0.4 s of CPU and saved no wall time; with 6,000 at 10,000 posts it
 * ended the build 0.3–0.6 s sooner (`bench/eleventy.ts --against`, and an ad-hoc A/B).
 */
const TAKE_OVER_MIN_TEXT = 16 * 1024 * 1024;

/**
 * How pages are grouped into messages. `burst` (the default) sends what one synchronous
 * run produced, for a caller that awaits the answers (Eleventy's transforms). `trickle`
 * waits a little for more pages, for a caller that hands over one page at a time and
 * needs the answers only at the end (Astro's middleware): a message per page would cost
 * about as much as the page.
 */
export type Batching = "burst" | "trickle";

/** The worker itself failed (not the page): the caller processes the page inline. */
export class PageWorkerFailed extends StaticPingbackError {
  readonly code = "page-worker-failed";
  constructor(cause: Error) {
    super(`page worker failed: ${cause.message}`, { cause });
    this.name = "PageWorkerFailed";
  }
}

/**
 * The worker's life, one state at a time:
 *
 *   starting ──ready──▶ ready ──finish──▶ finishing ──answer──▶ ready
 *      └───────────────finish───────────────▲
 *      │                  │                   │
 *      └──── error / exit with work out ──────┴──▶ failed
 *   any ──close──▶ closed
 *
 * `starting` and `ready` take pages (posted before "ready" they wait in the worker's
 * port); `failed` and `closed` take none: the caller processes pages inline.
 */
export type OffloadState = "starting" | "ready" | "finishing" | "failed" | "closed";

const TRANSITIONS: Record<OffloadState, readonly OffloadState[]> = {
  starting: ["ready", "finishing", "failed", "closed"],
  ready: ["finishing", "failed", "closed"],
  finishing: ["ready", "failed", "closed"],
  failed: ["closed"],
  closed: [],
};

/**
 * One worker thread that runs processPage for an adapter, so page work runs on another
 * core while the site generator's main thread goes on (Eleventy writing pages, Astro
 * rendering the next one). Started at the beginning of a build, so it has loaded by the
 * time pages come; if it fails, the pages it held and all later ones are for the caller
 * to process inline. Results are the same either way: the worker runs the very same
 * function on the same options and link elements. Answers carry no page text (see
 * PageAnswerResult).
 */
export class PageOffload {
  #state: OffloadState = "starting";
  readonly #packageName: string;
  readonly #manifest: WorkerManifestSetup | undefined;
  readonly #batching: Batching;
  #finishing: { resolve(summary: FinishSummary): void; reject(error: Error): void } | undefined;
  #worker: Worker | undefined;
  #nextId = 0;
  /**
   * Jobs not posted yet: sent together at the end of the current synchronous run, or
   * later when the worker has more than MAX_TEXT_IN_FLIGHT to do (see `#flush`).
   */
  #batch: PageJob[] = [];
  #flushScheduled = false;
  /** Characters of page text posted (wrapping int32), and done, as the worker counts. */
  #textPosted = 0;
  readonly #textDone = new Int32Array(new SharedArrayBuffer(4));
  /** This thread does the waiting pages too (see `takeOver`): fewer go to the worker at once. */
  #takingOver = false;
  /** A finish waiting for the jobs before it to be posted. */
  #finishRequest: FinishRequest | undefined;
  #pending = new Map<
    number,
    { resolve(result: PageAnswerResult): void; reject(error: Error): void }
  >();
  #settled!: (ready: boolean) => void;
  /** Resolves true once the worker has loaded, false if it failed first. */
  readonly ready: Promise<boolean> = new Promise((resolve) => {
    this.#settled = resolve;
  });
  /** Pages the page cache holds for this build, by URL (see `lookUp`); undefined: not known yet. */
  #unchanged: Map<string, UnchangedPageNote> | undefined;
  #unchangedKnown!: () => void;
  /**
   * Resolves once the worker has said which pages the page cache holds (it loads the
   * cache while the site renders), or cannot say (no cache, a failed worker).
   */
  readonly unchangedKnown: Promise<void> = new Promise((resolve) => {
    this.#unchangedKnown = () => {
      this.#unchanged ??= new Map();
      resolve();
    };
  });

  /**
   * `options` are the adapter's shared options in structured-clone-safe form (URLs as
   * strings, no function matchers: see `usable`); `packageName` names the adapter in
   * option errors; `linkElements` are the elements the build inserts (see page/link-element.ts).
   */
  constructor(
    options: Record<string, unknown>,
    packageName: string,
    {
      manifest,
      batching = "burst",
      linkElements,
    }: {
      manifest?: WorkerManifestSetup;
      batching?: Batching;
      linkElements?: readonly HeadLinkElement[];
    } = {},
  ) {
    this.#packageName = packageName;
    this.#manifest = manifest;
    this.#batching = batching;
    if (manifest?.pageCache !== true) this.#unchangedKnown();
    this.#start(options, linkElements);
  }

  /** Where the worker is in its life (see OffloadState). */
  get state(): OffloadState {
    return this.#state;
  }

  #moveTo(next: OffloadState): void {
    if (!TRANSITIONS[this.#state].includes(next)) {
      throw new Error(`page worker: no way from ${this.#state} to ${next}`);
    }
    this.#state = next;
    if (next === "failed" || next === "closed") {
      this.#settled(false);
      this.#unchangedKnown();
    }
    this.#holdProcess();
  }

  /** Takes pages (else: process them inline). */
  get #takesPages(): boolean {
    return this.#state === "starting" || this.#state === "ready";
  }

  /**
   * The one rule for keeping Node alive: while the worker is loading (`ready`), has work
   * out (pages, a finish) or has yet to say what the page cache holds, a caller may be
   * waiting on it with nothing else to keep the process running; idle, it must not (in
   * --serve it waits for the next rebuild).
   */
  #holdProcess(): void {
    const worker = this.#worker;
    if (!worker) return;
    const working =
      this.#state === "starting" ||
      this.#pending.size > 0 ||
      this.#state === "finishing" ||
      this.#unchanged === undefined;
    if (
      working &&
      (this.#state === "starting" || this.#state === "ready" || this.#state === "finishing")
    ) {
      worker.ref();
    } else worker.unref();
  }

  /** True once `unchangedKnown` has resolved. */
  get unchangedIsKnown(): boolean {
    return this.#unchanged !== undefined;
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
    if (!note || this.#state === "failed") return undefined;
    return note.hash === pageFingerprint(html) ? note : undefined;
  }

  /**
   * True when the worker writes the manifest (the `manifest` setup): it then keeps each
   * page's links, its answers carry none, and `finish` ends the build.
   */
  get keepsLinks(): boolean {
    return this.#manifest !== undefined;
  }

  /** The manifest setup the worker was started with (see `keepsLinks`). */
  get manifestSetup(): WorkerManifestSetup | undefined {
    return this.#manifest;
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
  process(
    html: string,
    url: string,
    inserted?: PageJob["inserted"],
  ): Promise<PageAnswerResult> | undefined {
    // Jobs are posted even before the worker reports ready: they wait in its port.
    // Waiting for "ready" here would need the main event loop to turn, and Eleventy
    // may not let it between rendering and the transforms.
    if (!this.#takesPages) return undefined;
    const id = this.#nextId++;
    const answer = new Promise<PageAnswerResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#holdProcess();
    // Eleventy starts all transforms in one burst: one message per batch, not per page.
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      const flush = () => {
        this.#flushScheduled = false;
        this.#flush();
      };
      if (this.#batching === "burst") queueMicrotask(flush);
      else setTimeout(flush, TRICKLE_DELAY_MS).unref();
    }
    this.#batch.push(inserted ? { id, html, url, inserted } : { id, html, url });
    if (this.#batch.length % BATCH_SIZE === 0) this.#flush();
    return answer;
  }

  /**
   * Posts the waiting jobs, a batch at a time, while the worker has room (see
   * MAX_TEXT_IN_FLIGHT); then a finish that waited for them. Called again as answers
   * come back, and on each new page, so every job goes in the end.
   */
  #flush(): void {
    const worker = this.#worker;
    if (!worker) return;
    const bound = this.#takingOver ? MAX_TEXT_IN_FLIGHT_TAKING_OVER : MAX_TEXT_IN_FLIGHT;
    while (this.#batch.length > 0) {
      const inFlight = (this.#textPosted - Atomics.load(this.#textDone, 0)) | 0;
      if (inFlight >= bound) return;
      this.#postJobs(worker, this.#batch.splice(0, BATCH_SIZE));
    }
    const request = this.#finishRequest;
    this.#finishRequest = undefined;
    if (request) worker.postMessage({ finish: request } satisfies WorkerMessage);
  }

  /**
   * Writes manifest.json, outbox.json and the published copy in the worker: `pages`
   * lists the build's pages, each as the id this offload gave it (see `lastId`) or
   * whole when done elsewhere. Rejects with PingbackFileError for an unusable previous
   * manifest (nothing is written then), and with PageWorkerFailed when the worker
   * itself failed (its kept links are gone: redo its pages).
   */
  finish(request: FinishRequest): Promise<FinishSummary> {
    if (this.#state === "finishing")
      return Promise.reject(new Error("finish is already under way"));
    if (!this.#takesPages || !this.#worker) {
      return Promise.reject(new PageWorkerFailed(new Error("the worker is not running")));
    }
    return new Promise<FinishSummary>((resolve, reject) => {
      this.#finishing = { resolve, reject };
      this.#moveTo("finishing");
      // Posted after the last job (see #flush).
      this.#finishRequest = request;
      this.#flush();
    });
  }

  /** Pages handed over and not posted yet: held back while the worker is MAX_TEXT_IN_FLIGHT behind. */
  get waitingPages(): number {
    return this.#batch.length;
  }

  /**
   * For the end of a build, when this thread would otherwise only wait for the worker:
   * the pages still waiting here are done by `process` on this thread, from the end (a
   * batch at a time), while the worker goes on from the front. Each answer goes to that
   * page's promise as the worker's would: a throw rejects it, as a page error does; with
   * a manifest setup the worker is sent the page to keep (a batch at a time, so no
   * links pile up here) and the answer has no links. The event loop turns between
   * pages, so the worker's answers are read and its next pages posted, a few at a time
   * from now on (MAX_TEXT_IN_FLIGHT_TAKING_OVER), so both run out at about the same
   * time. Pages the page cache holds are left to the worker, and all of them are until
   * it has said what the cache holds, or while less than `minText` characters of pages
   * wait (see TAKE_OVER_MIN_TEXT). Resolves with the number of pages done here.
   */
  async takeOver(
    process: (job: PageJob) => AnsweredPage,
    minText = TAKE_OVER_MIN_TEXT,
  ): Promise<number> {
    // Until the worker has said what the page cache holds, only it can tell a waiting
    // page it need not process: leave them all to it.
    if (!this.unchangedIsKnown) return 0;
    let waiting = 0;
    for (const job of this.#batch) waiting += job.html.length;
    if (waiting < minText) return 0;
    this.#takingOver = true;
    const keep: PageDoneElsewhere[] = [];
    let taken = 0;
    try {
      // A batch at a time from the end, each in its own order: the worker reads the
      // previous manifest's entries back in blocks, which serve pages that come in order.
      for (let jobs = this.#batch.splice(-BATCH_SIZE); jobs.length > 0; ) {
        // A page the cache holds (it was handed over before the worker said so) goes to
        // the worker after all, which answers it from the cache and keeps its entry.
        const cached: PageJob[] = [];
        for (const job of jobs) {
          const input = pageOfJob(job);
          if (this.lookUp(input.html, input.url)) {
            cached.push(job);
            continue;
          }
          const waiting = this.#pending.get(job.id);
          this.#pending.delete(job.id);
          taken++;
          try {
            const { result, page, cache } = process(input);
            if (this.#manifest) {
              keep.push({ id: job.id, page, cache });
              waiting?.resolve(result);
            } else {
              const { links, contentHash = null } = page;
              waiting?.resolve({ ...result, links, contentHash });
            }
          } catch (error) {
            waiting?.reject(error as Error);
          }
          this.#holdProcess();
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (keep.length > 0) this.#post({ keep: keep.splice(0) });
        if (cached.length > 0 && this.#takesPages && this.#worker) {
          this.#postJobs(this.#worker, cached);
        }
        jobs = this.#batch.splice(-BATCH_SIZE);
      }
    } finally {
      this.#takingOver = false;
      // Before any finish: the worker takes its messages in order.
      if (keep.length > 0) this.#post({ keep });
    }
    return taken;
  }

  #post(message: WorkerMessage): void {
    if (this.#takesPages) this.#worker?.postMessage(message);
  }

  /** Posts jobs, counting their text as in flight (see MAX_TEXT_IN_FLIGHT). */
  #postJobs(worker: Worker, jobs: PageJob[]): void {
    this.#textPosted = (this.#textPosted + textLength(jobs)) | 0;
    worker.postMessage(jobs);
  }

  /** The id the last `process` call gave its page (ids count up from 0). */
  get lastId(): number {
    return this.#nextId - 1;
  }

  /** Ends the worker (at the end of a build); the next build starts afresh. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (this.#state !== "closed") this.#end("closed", new Error("the worker was closed"));
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }

  #start(
    options: Record<string, unknown>,
    linkElements: readonly HeadLinkElement[] | undefined,
  ): void {
    const entry = new URL(
      import.meta.url.endsWith(".ts") ? "./page-worker.ts" : "./page-worker.js",
      import.meta.url,
    );
    let worker: Worker;
    try {
      worker = new Worker(entry, {
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        workerData: {
          options,
          packageName: this.#packageName,
          manifest: this.#manifest,
          linkElements,
          progress: this.#textDone,
        },
      });
    } catch {
      // E.g. an option value that cannot be cloned: every page goes inline.
      this.#moveTo("failed");
      return;
    }
    this.#worker = worker;
    worker.on("message", (answers: PageAnswer[]) => {
      for (const answer of answers) this.#receive(answer);
      // The worker made room: jobs still waiting here go now.
      if (this.#batch.length > 0) this.#flush();
      this.#holdProcess();
    });
    const fail = (cause: Error) => {
      if (this.#state !== "failed" && this.#state !== "closed") this.#end("failed", cause);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.#pending.size > 0 || this.#finishing)
        fail(new Error(`page worker exited (${code})`));
    });
    // After the listeners, since adding a message listener refs the worker again.
    this.#holdProcess();
  }

  /** Fails or closes: what was waiting on the worker is handed back, to be done inline. */
  #end(state: "failed" | "closed", cause: Error): void {
    const error = new PageWorkerFailed(cause);
    const finishing = this.#finishing;
    this.#finishing = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#batch = [];
    this.#finishRequest = undefined;
    this.#moveTo(state);
    for (const waiting of pending) waiting.reject(error);
    finishing?.reject(error);
  }

  #receive(answer: PageAnswer): void {
    if ("ready" in answer) {
      if (this.#state === "starting") this.#moveTo("ready");
      this.#settled(true);
    } else if ("unchangedPages" in answer) {
      this.#unchanged = new Map(answer.unchangedPages.map((note) => [note.url, note]));
      this.#unchangedKnown();
    } else if ("finished" in answer || "finishFailed" in answer) {
      const finishing = this.#finishing;
      this.#finishing = undefined;
      if (this.#state === "finishing") this.#moveTo("ready");
      if ("finished" in answer) finishing?.resolve(answer.finished);
      else finishing?.reject(received(answer.finishFailed));
    } else {
      const waiting = this.#pending.get(answer.id);
      if (!waiting) return;
      this.#pending.delete(answer.id);
      if ("error" in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve(answer.result);
    }
  }
}

/** The worker's error, as the main thread's own: a file error stays a PingbackFileError. */
function received(sent: SentError): Error {
  if (sent.file)
    return new PingbackFileError(sent.file.file, sent.file.pointer, sent.file.expected);
  return new Error(sent.message);
}
