import { join, resolve } from "node:path";
import { formatBuildSummary } from "../manifest/finish-build.ts";
import { pageFingerprint } from "../manifest/page-cache.ts";
import { answerPage } from "../offload/answer-page.ts";
import { type Batching, PageOffload, PageWorkerFailed } from "../offload/page-offload.ts";
import type { FinishSummary, PageAnswerResult } from "../offload/page-worker-messages.ts";
import { advertisedEndpointsNote } from "../options/default-endpoint.ts";
import type { ResolvedOptions } from "../options/types.ts";
import { elementsText, type HeadLinkElement, headLinkElements } from "../page/link-element.ts";
import { linksOutsideArticle } from "../page/outside-article.ts";
import { isPageEnabled } from "../page/page-enabled.ts";
import { applyInsertion, predictInsertion } from "../page/predict-insertion.ts";
import { processPage } from "../page/process-page.ts";
import type { PageResult } from "../page/types.ts";
import { linksPage } from "./build-page.ts";
import { BuildRecords } from "./build-records.ts";
import { finishPages } from "./finish-pages.ts";
import {
  type HandedOutPage,
  processWritten,
  type SettledPage,
  settlePage,
} from "./handed-out-page.ts";
import { handWrittenFiles, type WrittenPageFiles } from "./written-files.ts";

/**
 * Where --serve and --watch runs write their manifest (and outbox, with
 * writeOutboxWhenWatching), under stateDir: never the files `send` reads.
 */
export const WATCH_RECORDS_DIR = "watch";

/** What stays the same for every build of one adapter instance. */
export interface BuildSessionSetup {
  /** Names the adapter in messages and option errors. */
  packageName: string;
  /** The `pageCache` option (used only when the manifest diffed against is stateDir's). */
  pageCache: boolean;
  /** Absolute path or URL of the manifest to diff against (default: stateDir's). */
  previousManifest: string | undefined;
  /** Also write outbox.json in watch and incremental runs. */
  writeOutboxWhenWatching?: boolean | undefined;
  /** Start the worker with the first page rather than the build (Astro: Vite has the core before). */
  workerStartsWithFirstPage?: boolean | undefined;
  /** How pages are grouped into messages to the worker (see Batching). */
  batching?: Batching | undefined;
  /**
   * The adapter hands pages out with `prerender` and recognises them among the written
   * files (Astro): the page cache then also keeps each page's fingerprint as written.
   */
  prerenders?: boolean | undefined;
  /**
   * The build log: the endpoints advertised, warnings, and the summary of each build;
   * `debug`, where the adapter's log has it, also gets timings and pages left out.
   */
  log: { info(message: string): void; warn(message: string): void; debug?(message: string): void };
}

/** One build of the session. */
export interface BuildRun {
  /** Options resolved once for this build (the site final), stateDir absolute. */
  options: ResolvedOptions;
  /** A --serve/--watch run: its records go to `<stateDir>/watch`, apart from what `send` reads. */
  watch: boolean;
  /** Only some pages are rendered again: the others keep their last entry. */
  incremental: boolean;
  /** Pages go to files the session may correct afterwards (else nothing is handed out early). */
  writesFiles: boolean;
  /**
   * The shared options as given, with this build's site, for the page worker (which
   * resolves them itself, the same way); undefined: no worker thread.
   */
  workerOptions: Record<string, unknown> | undefined;
}

/** A page in memory, as a transform or a middleware sees it. */
export interface PageInput {
  url: URL;
  html: string;
  /** For messages: the page's source (Eleventy's inputPath). */
  label?: string | undefined;
}

/** A page in Eleventy's transform: it goes to `file`, and the transform may wait. */
export interface TransformedPageInput extends PageInput {
  /** Its output file. */
  file: string;
}

/** A page Astro wrote: matched to the page handed out for it by `key` and the written bytes. */
export interface WrittenPageInput {
  url: URL;
  key: string;
  file: string;
  bytes: Buffer;
}

export interface BuildOutcome extends FinishSummary {
  /** Written pages that needed nothing more (handed out right, not rewritten). */
  recognised: number;
  /**
   * Pages handed back with the link elements inserted, each a copy of the page as
   * rendered (a layout that writes the elements itself spares it; see linkElementsFor).
   */
  inserted: number;
}

/**
 * One build, from its first page to its manifest, for any adapter. Options are resolved
 * once (`begin`), the link elements built once; each page is looked up in the page
 * cache, sent to the page worker (with the insertion predicted from its head, so the
 * site generator writes it at once) or processed inline, and settled or redone at the
 * end against what was written; `finish` writes manifest, outbox, published copy and
 * page cache, and the build log gets the endpoints advertised, the warnings and the
 * summary. The adapter tells it pages and the end of the build; hooks, URL mapping
 * and the log itself stay in the adapter.
 *
 * Two ways in: `transform` for a generator that hands over each page's HTML and output
 * file and can wait (Eleventy), `prerender` + `written` for one that renders in memory
 * and tells the written files at the end (Astro's middleware and build:done).
 */
export class BuildSession {
  readonly #setup: BuildSessionSetup;
  readonly #records = new BuildRecords();
  #run: BuildRun | undefined;
  #linkElements: readonly HeadLinkElement[] = [];
  #offload: PageOffload | undefined;
  #offloadStarted = false;
  /** Pages `transform` returned before the worker answered, by output file. */
  #predicted: { page: HandedOutPage; file: string }[] = [];
  /** Pages `prerender` handed out, by key (several may share a key). */
  #prerendered = new Map<string, { page: HandedOutPage; output: string }[]>();
  #recognised = 0;
  #inserted = 0;
  #toldEndpoints = false;

  constructor(setup: BuildSessionSetup) {
    this.#setup = setup;
  }

  /** Starts a build. */
  async begin(run: BuildRun): Promise<void> {
    this.#run = run;
    if (!this.#toldEndpoints) {
      this.#toldEndpoints = true;
      const note = advertisedEndpointsNote(run.options);
      if (note) this.#setup.log.info(note);
    }
    this.#linkElements = headLinkElements(run.options);
    this.#predicted = [];
    this.#prerendered.clear();
    this.#recognised = 0;
    this.#inserted = 0;
    if (!this.#setup.workerStartsWithFirstPage) this.#worker();
    const warning = await this.#records.startBuild(
      run.incremental,
      this.#recordsDir(run),
      run.options.site.href,
    );
    if (warning) this.#setup.log.warn(warning);
  }

  /** The options of the current build. */
  get options(): ResolvedOptions {
    if (!this.#run) throw new Error("BuildSession: begin() was not called");
    return this.#run.options;
  }

  /**
   * The link elements of a page, for a layout that writes them into its head itself (a
   * shortcode or a component): a page whose head holds them as given here is handed back
   * as it came, so the build makes no copy of it. Empty for a page that does not take part.
   */
  linkElementsFor(url: URL): string {
    return isPageEnabled(url, this.options) ? elementsText(this.#linkElements) : "";
  }

  /** Pages `prerender` has handed out in this build. */
  get handedOut(): number {
    let count = 0;
    for (const list of this.#prerendered.values()) count += list.length;
    return count;
  }

  /** The page worker, once started. */
  get offload(): PageOffload | undefined {
    return this.#offload;
  }

  /**
   * A page in a transform: answers its HTML with the link elements, at once or once the
   * worker has answered. A page that cannot be processed is left as it is (and logged).
   */
  transform(page: TransformedPageInput): string | Promise<string> {
    const worker = this.#worker();
    if (!worker || !isPageEnabled(page.url, this.options)) return this.#inline(page);
    // The worker tells which pages the page cache holds while the site renders, long
    // before the transforms run; a small site's first pages may wait a moment for it.
    if (!worker.unchangedIsKnown) {
      return worker.unchangedKnown.then(() => this.#offloadTransform(worker, page));
    }
    return this.#offloadTransform(worker, page);
  }

  #offloadTransform(worker: PageOffload, page: TransformedPageInput): string | Promise<string> {
    const { html, file, label } = page;
    const url = page.url.href;
    const cached = worker.lookUp(html, url);
    if (cached) {
      this.#record({ kind: "cached", url, pingback: cached.pingback, file }, [], label);
      return this.#handBack(html, cached.insertion);
    }
    // Where the head tells where the link elements go (or that it has them), the page is
    // returned at once and the worker's whole-page answer is checked at the end of the build.
    const predicted = this.#run?.writesFiles ? this.#predict(page) : undefined;
    // A page handed back at once goes to the worker as the string handed back: should it
    // wait here for its turn, it holds no copy of the page beside the generator's. With
    // nothing to insert, that is the generator's own string.
    const output = predicted === undefined ? undefined : applyInsertion(html, predicted);
    const answer =
      output === undefined
        ? worker.process(html, url)
        : worker.process(output, url, predicted ?? undefined);
    if (!answer) return this.#inline(page);
    const job = worker.lastId;
    if (output !== undefined && predicted !== undefined) {
      const result = answer.catch(asError);
      const handed = { url, sent: predicted, answer: { kind: "offloaded", job, result }, label };
      this.#predicted.push({ page: handed as HandedOutPage, file });
      if (predicted) this.#inserted++;
      return output;
    }
    return this.#awaitAnswer(page, answer, job);
  }

  /**
   * A page that waits for the worker's answer before it is handed back. Apart from
   * #offloadTransform: closures made in one function share its scope, so a closure
   * here would keep every predicted page's text alive until its answer is read,
   * which for most pages is after the last one is written (147 MB at 10,000 posts).
   */
  #awaitAnswer(
    page: TransformedPageInput,
    answer: Promise<PageAnswerResult>,
    job: number,
  ): Promise<string> {
    const url = page.url.href;
    return answer.then(
      (result) => {
        const { pingback, links, warnings } = result;
        this.#record(
          links ? linksPage(url, result) : { kind: "kept", url, pingback, job, file: page.file },
          warnings,
          page.label,
        );
        return this.#handBack(page.html, result.insertion);
      },
      (error: Error) =>
        error instanceof PageWorkerFailed ? this.#inline(page) : this.#skip(page, error),
    );
  }

  /**
   * A page a middleware renders (Astro): answers its HTML with the link elements, or
   * undefined when it cannot be processed (the end of the build processes its file and
   * reports the error). `key` finds it again among the written files (see `written`).
   */
  prerender(page: PageInput & { key: string }): string | undefined {
    const handed = this.#handOut(page);
    if (!handed) return undefined;
    const output = this.#handBack(page.html, handed.sent);
    const record = {
      page: handed,
      // The cache knows the fingerprint of the page as written.
      output: handed.output ?? pageFingerprint(output),
    };
    const list = this.#prerendered.get(page.key);
    if (list) list.push(record);
    else this.#prerendered.set(page.key, [record]);
    return output;
  }

  #handOut(page: PageInput): (HandedOutPage & { output?: string }) | undefined {
    const url = page.url.href;
    const worker = this.#worker();
    // An unchanged page (once the worker has said what the page cache holds) is not sent
    // at all; before that, the worker itself answers it from the cache.
    const cached = worker?.lookUp(page.html, url);
    if (cached) {
      const { insertion: sent, pingback, output } = cached;
      return { url, sent, answer: { kind: "cached", pingback }, output };
    }
    // A page that takes part goes to the worker when its head tells the insertion (or
    // that nothing goes in); one that does not is answered here at no cost.
    const predicted =
      worker && isPageEnabled(page.url, this.options) ? this.#predict(page) : undefined;
    const offloaded = predicted !== undefined ? worker?.process(page.html, url) : undefined;
    if (worker && predicted !== undefined && offloaded) {
      const result = offloaded.catch(asError);
      return { url, sent: predicted, answer: { kind: "offloaded", job: worker.lastId, result } };
    }
    try {
      const result = this.#process(page.html, url);
      return { url, sent: result.insertion, answer: { kind: "inline", result } };
    } catch {
      return undefined;
    }
  }

  /**
   * A page file the site generator wrote (Astro, at build:done): recognised when it holds
   * the very bytes handed out for its key (then settled: confirmed, or redone), else
   * processed from the file and rewritten when that changes it.
   */
  async written(page: WrittenPageInput): Promise<void> {
    const url = page.url.href;
    const text = page.bytes.toString("utf8");
    const candidates = this.#prerendered.get(page.key);
    const output = candidates ? pageFingerprint(page.bytes) : undefined;
    const handed = candidates?.find((record) => record.output === output)?.page;
    if (handed) {
      const settled = await settlePage(handed, {
        url,
        file: page.file,
        written: text,
        options: this.options,
        linkElements: this.#linkElements,
      });
      if (settled.kind === "skipped") throw settled.error;
      if (settled.kind === "answered") this.#recognised++;
      this.#record(settled.page, settled.warnings);
      return;
    }
    const processed = await processWritten({
      url,
      file: page.file,
      written: text,
      options: this.options,
      linkElements: this.#linkElements,
    });
    this.#record(processed.page, processed.warnings);
  }

  /**
   * The end of the build: settles the pages handed out early (`written`: what was
   * written, by output file; a page missing there was not written), then writes the
   * manifest, the outbox (not in watch runs unless asked), the published copy
   * (`publishDir`) and the page cache. A one-off build ends its worker; watch runs keep
   * it for the next rebuild.
   */
  async finish(done: {
    written?: ReadonlyMap<string, string> | undefined;
    publishDir?: string | undefined;
    /** The build's output directory, recorded in build-record.json for `explain`. */
    outputDir?: string | undefined;
    /** False: the build wrote no files (Eleventy's json/ndjson output): no records either. */
    writeRecords?: boolean | undefined;
    /**
     * The pages the generator wrote, to hand to `written` first (Astro): read
     * `concurrency` at a time; a page none of whose files exists is left out.
     */
    writtenFiles?: { pages: readonly WrittenPageFiles[]; concurrency: number } | undefined;
  }): Promise<BuildOutcome | undefined> {
    const run = this.#run;
    if (!run) throw new Error("BuildSession: begin() was not called");
    const worker = this.#offload;
    const { log } = this.#setup;
    try {
      const started = performance.now();
      const taken = worker?.waitingPages ? await this.#takeOver(worker) : 0;
      if (taken > 0) {
        log.debug?.(
          `${taken} pages done on this thread while the page worker finished the others, in ${Math.round(performance.now() - started)} ms`,
        );
      }
      if (done.writtenFiles) await this.#handWritten(done.writtenFiles);
      const handedOver = performance.now();
      await this.#settlePredicted(done.written);
      if (done.writeRecords === false) return undefined;
      const watching = run.watch || run.incremental;
      const finished = await finishPages({
        pages: this.#records.values(),
        options: { ...run.options, stateDir: this.#recordsDir(run) },
        linkElements: this.#linkElements,
        worker: worker?.keepsLinks ? worker : undefined,
        previousManifest: this.#setup.previousManifest,
        writeOutbox: !watching || this.#setup.writeOutboxWhenWatching === true,
        publishDir: done.publishDir,
        outputDir: done.outputDir,
      });
      for (const warning of finished.warnings) log.warn(warning);
      log.info(formatBuildSummary(finished));
      if (done.writtenFiles) {
        log.debug?.(
          `pages handed over in ${Math.round(handedOver - started)} ms (${this.#recognised} of ${this.handedOut} written complete while they rendered)`,
        );
      }
      log.debug?.(
        `manifest and outbox written in ${Math.round(performance.now() - handedOver)} ms`,
      );
      return { ...finished, recognised: this.#recognised, inserted: this.#inserted };
    } finally {
      if (!run.watch) await this.close();
    }
  }

  async #handWritten(files: { pages: readonly WrittenPageFiles[]; concurrency: number }) {
    const missing = await handWrittenFiles(this, files.pages, files.concurrency);
    for (const page of missing) {
      this.#setup.log.debug?.(`no HTML file found for ${page.url.href} in the output; left out`);
    }
  }

  /**
   * The pages still waiting to be sent to the worker when the build ends are done here
   * as well (this thread would only wait), the way the worker does them, so it keeps
   * them with its own: their links, and what the page cache is to keep of them.
   */
  #takeOver(worker: PageOffload): Promise<number> {
    const setup = worker.manifestSetup;
    const { options } = this;
    const linkElements = this.#linkElements;
    const outputFingerprints = setup?.outputFingerprints === true;
    return worker.takeOver((job) => {
      const hash = setup?.pageCache ? pageFingerprint(job.html) : undefined;
      return answerPage(job, { options, linkElements, hash, outputFingerprints });
    });
  }

  /** Ends the page worker; the next build starts another. */
  async close(): Promise<void> {
    const worker = this.#offload;
    this.#offload = undefined;
    this.#offloadStarted = false;
    await worker?.close();
  }

  async #settlePredicted(written: ReadonlyMap<string, string> | undefined): Promise<void> {
    const settling = this.#predicted;
    this.#predicted = [];
    const settled = await Promise.all(
      settling.map(({ page, file }) =>
        settlePage(page, {
          url: page.url,
          file,
          written: written?.get(file),
          options: this.options,
          linkElements: this.#linkElements,
        }),
      ),
    );
    for (const [index, outcome] of settled.entries()) {
      const { page } = settling[index] as { page: HandedOutPage };
      this.#settled(page, outcome);
    }
  }

  #settled(page: HandedOutPage, outcome: SettledPage): void {
    if (outcome.kind === "skipped")
      this.#skip({ url: new URL(page.url), label: page.label }, outcome.error);
    else this.#record(outcome.page, outcome.warnings, page.label);
  }

  /** Processed here: the page's HTML, its record and warnings taken. */
  #inline(page: PageInput): string {
    try {
      const url = page.url.href;
      const result = this.#process(page.html, url);
      this.#record(linksPage(url, result), result.warnings, page.label);
      return this.#handBack(page.html, result.insertion);
    } catch (error) {
      return this.#skip(page, error as Error);
    }
  }

  #process(html: string, url: string): PageAnswerResult {
    const { options } = this;
    const { html: _html, scope, ...rest } = processPage(html, url, options, this.#linkElements);
    return { ...rest, outsideArticle: linksOutsideArticle({ scope, links: rest.links }, options) };
  }

  /** A page as handed back to the generator; one with an insertion is counted. */
  #handBack(html: string, insertion: PageResult["insertion"]): string {
    if (insertion) this.#inserted++;
    return applyInsertion(html, insertion);
  }

  #predict(page: PageInput) {
    return predictInsertion(page.html, page.url, this.options, this.#linkElements);
  }

  #record(
    page: Parameters<BuildRecords["record"]>[0],
    warnings: readonly string[],
    label?: string,
  ): void {
    const where = label === undefined ? page.url : `${label} (${page.url})`;
    for (const warning of warnings) this.#setup.log.warn(`${where} ${warning}`);
    this.#records.record(page);
  }

  /** A page that could not be processed: reported, left out, its HTML left as it was. */
  #skip(
    page: PageInput | { url: URL; label?: string | undefined; html?: string },
    error: Error,
  ): string {
    const url = page.url.href;
    this.#records.forget(url);
    this.#setup.log.warn(
      `${page.label ?? url}: could not process ${url}, skipped (${error.message})`,
    );
    return "html" in page && page.html !== undefined ? page.html : "";
  }

  /** The page worker, started once (see BuildSessionSetup). */
  #worker(): PageOffload | undefined {
    if (this.#offloadStarted) return this.#offload;
    this.#offloadStarted = true;
    const run = this.#run;
    if (!run?.workerOptions) return undefined;
    const workerOptions = PageOffload.cloneable(run.workerOptions);
    if (!PageOffload.usable(workerOptions)) return undefined;
    const { previousManifest, packageName, batching } = this.#setup;
    // In a one-off full build the worker also keeps the links and writes the manifest
    // (it reads the previous one while the site renders); in watch and incremental runs
    // it stays for the next rebuild and sends the links back.
    const manifest =
      run.watch || run.incremental
        ? undefined
        : {
            stateDir: resolve(run.options.stateDir),
            previousManifest,
            // The cache goes with the manifest in stateDir: only when that is the one diffed against.
            pageCache: this.#setup.pageCache && previousManifest === undefined,
            outputFingerprints: this.#setup.prerenders === true,
          };
    this.#offload = new PageOffload(workerOptions, packageName, {
      ...(manifest ? { manifest } : {}),
      ...(batching ? { batching } : {}),
      linkElements: this.#linkElements,
    });
    return this.#offload;
  }

  #recordsDir(run: BuildRun): string {
    const stateDir = resolve(run.options.stateDir);
    return run.watch ? join(stateDir, WATCH_RECORDS_DIR) : stateDir;
  }
}

/** A rejection as a value: made here, so it keeps no caller's scope (see #awaitAnswer). */
function asError(error: Error): Error {
  return error;
}
