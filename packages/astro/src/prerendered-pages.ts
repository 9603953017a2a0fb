import {
  applyInsertion,
  linksOutsideArticle,
  type PageResult,
  pageFingerprint,
  predictInsertion,
  processPage,
  type ResolvedOptions,
} from "@static-pingback/core";
import {
  type PageAnswerResult,
  PageOffload,
  type WorkerManifestSetup,
} from "@static-pingback/core/offload";
import type { PrerenderHook } from "./prerender-hook.ts";

/**
 * What a page's processing found, without its text; without its links too when the
 * worker keeps them for the manifest (then `job` names the page to the worker).
 */
export type PageSummary = PageAnswerResult;

/** A page the middleware handled while Astro rendered it. */
export interface PrerenderedPage {
  /** The URL it was processed as. */
  url: string;
  /** What the middleware inserted (null: nothing). */
  sent: PageResult["insertion"];
  /** Fingerprint of the HTML handed back to Astro, to recognise the written file. */
  written: string;
  /** processPage's full answer, or why it failed (then the page is redone from its file). */
  result: Promise<PageSummary | Error>;
  /** The worker's id for the page, when the worker processed it. */
  job: number | undefined;
  /** Taken from the page cache (the worker has its links from the last build). */
  unchanged: boolean;
}

export interface PrerenderedPagesInput {
  options: ResolvedOptions;
  /** The shared options in structured-clone-safe form, for the worker; undefined: no worker. */
  workerInput: Record<string, unknown> | undefined;
  packageName: string;
  /** Page names end with "/" (Astro's shouldAppendForwardSlash for trailingSlash and format). */
  appendSlash: boolean;
  /** Let the worker write the manifest: it loads the previous one while Astro renders. */
  manifest: WorkerManifestSetup;
}

/**
 * The key both sides agree on for a page: the URL path without the ending the build
 * format adds ("/", ".html", "/index.html"). Astro's request for `posts/a` is
 * `/posts/a/`, `/posts/a` or `/posts/a.html`; its page name gives `/posts/a/` or `/posts/a`.
 */
export function outputKey(pathname: string): string {
  return pathname.replace(/(?:\/index\.html|\.html|\/)$/, "");
}

/**
 * The integration's side of the prerender middleware. For each HTML page Astro renders,
 * it inserts the link element before the page is written, so no page is read back and
 * rewritten later. The insertion comes from the page's head alone (core's
 * predictInsertion); the whole-page work (outbound links, and confirming the insertion)
 * runs in a worker thread on the other core while Astro renders on. At the end of the
 * build each written file is matched to its record by key and fingerprint: where the
 * guess was wrong, or the URL differs from the one Astro's page list gives, the page is
 * redone from its file (see built-pages.ts). Without a spare core, pages are processed
 * whole, inline.
 */
export class PrerenderedPages implements PrerenderHook {
  readonly #input: PrerenderedPagesInput;
  /** Started with the first page: during bundling the other core is Vite's. */
  #offload: PageOffload | undefined;
  #offloadStarted = false;
  readonly #siteRootKey: string;
  readonly #records = new Map<string, PrerenderedPage[]>();
  #count = 0;

  constructor(input: PrerenderedPagesInput) {
    this.#input = input;
    this.#siteRootKey = outputKey(input.options.site.pathname);
  }

  #worker(): PageOffload | undefined {
    if (!this.#offloadStarted) {
      this.#offloadStarted = true;
      const { workerInput } = this.#input;
      if (workerInput && PageOffload.usable(workerInput)) {
        this.#offload = new PageOffload(workerInput, this.#input.packageName, {
          manifest: this.#input.manifest,
          batching: "trickle",
        });
      }
    }
    return this.#offload;
  }

  /** Pages handled so far. */
  get size(): number {
    return this.#count;
  }

  async page(requestUrl: URL, response: Response): Promise<Response> {
    if (response.status !== 200 || !isHtml(response.headers.get("content-type"))) return response;
    const html = await response.text();
    const key = outputKey(requestUrl.pathname);
    const handled = this.#handle(html, this.#pageUrl(key));
    // Left as it is: the end of the build processes the file and reports the error.
    if (!handled) return rebuilt(html, response);
    const list = this.#records.get(key);
    if (list) list.push(handled.record);
    else this.#records.set(key, [handled.record]);
    this.#count++;
    return rebuilt(handled.output, response);
  }

  /**
   * A page's output and record: from the page cache, from the worker (the insertion
   * predicted from the head), or processed here. Undefined: processing failed.
   */
  #handle(html: string, url: URL): { output: string; record: PrerenderedPage } | undefined {
    const { options } = this.#input;
    const worker = this.#worker();
    // An unchanged page (once the worker has said what the page cache holds) is not sent
    // at all, and the cache also knows its output's fingerprint; before that, the worker
    // itself answers it from the cache.
    const unchanged = worker?.lookUp(html, url.href);
    if (unchanged) {
      const sent = unchanged.insertion;
      const { pingback } = unchanged;
      // The worker holds the page, prepared from the cache with its own outsideArticle.
      const outsideArticle = false;
      const result = {
        changed: sent !== null,
        insertion: sent,
        pingback,
        outsideArticle,
        warnings: [],
      };
      return {
        output: applyInsertion(html, sent),
        record: {
          url: url.href,
          sent,
          written: unchanged.output,
          result: Promise.resolve(result),
          job: undefined,
          unchanged: true,
        },
      };
    }
    const predicted = worker ? predictInsertion(html, url, options) : undefined;
    const offloaded = predicted ? worker?.process(html, url.href) : undefined;
    let sent: PageResult["insertion"];
    let result: Promise<PageSummary | Error>;
    let job: number | undefined;
    if (offloaded && predicted) {
      sent = predicted;
      result = offloaded.catch((error: Error) => error);
      job = worker?.lastId;
    } else {
      try {
        const { html: _html, scope, ...rest } = processPage(html, url, options);
        const outsideArticle = linksOutsideArticle({ scope, links: rest.links }, options);
        sent = rest.insertion;
        result = Promise.resolve({ ...rest, outsideArticle });
      } catch {
        return undefined;
      }
    }
    const output = applyInsertion(html, sent);
    return {
      output,
      record: {
        url: url.href,
        sent,
        written: pageFingerprint(output),
        result,
        job,
        unchanged: false,
      },
    };
  }

  /** The record for a written file: same key and the very bytes the middleware answered. */
  find(pathname: string, written: string): PrerenderedPage | undefined {
    return this.#records.get(outputKey(pathname))?.find((record) => record.written === written);
  }

  /** The page worker, once started (it keeps the links of the pages it processed). */
  get offload(): PageOffload | undefined {
    return this.#offload;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.#offload?.close();
  }

  /** The page URL as Astro's page list gives it (see page-location.ts), from a key. */
  #pageUrl(key: string): URL {
    const { site } = this.#input.options;
    if (key === this.#siteRootKey) return new URL(site);
    return new URL(`${key}${this.#input.appendSlash ? "/" : ""}`, site);
  }
}

function isHtml(contentType: string | null): boolean {
  return contentType !== null && /^\s*text\/html\b/i.test(contentType);
}

/** A response with the same status and headers and a new body. */
function rebuilt(body: string, response: Response): Response {
  let { headers } = response;
  if (headers.has("content-length")) {
    headers = new Headers(headers);
    headers.delete("content-length");
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
