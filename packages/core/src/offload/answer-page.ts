import type { ManifestPageInput } from "../manifest/build-manifest.ts";
import { type PageCacheEntry, pageFingerprint } from "../manifest/page-cache.ts";
import type { ResolvedOptions } from "../options/types.ts";
import type { HeadLinkElement } from "../page/link-element.ts";
import { linksOutsideArticle } from "../page/outside-article.ts";
import { processPage } from "../page/process-page.ts";
import type { PageAnswerResult, PageJob } from "./page-worker-messages.ts";

/** How a build whose manifest the page worker writes answers a page. */
export interface AnswerSetup {
  options: ResolvedOptions;
  /** The inserted elements, as the build session made them (default: processPage's own). */
  linkElements: readonly HeadLinkElement[] | undefined;
  /** pageFingerprint of the job's HTML; undefined: the page cache is off. */
  hash: string | undefined;
  /** Keep the fingerprint of the page as written (see PageCacheEntry.output). */
  outputFingerprints: boolean;
}

/** A page processed for such a build, in the three shapes its result goes on in. */
export interface AnsweredPage {
  /** For the main thread: no page text (it holds the input), no links. */
  result: PageAnswerResult;
  /** For the manifest. */
  page: ManifestPageInput;
  /** For the next build's page cache; undefined: not cacheable (cache off, or warnings). */
  cache: PageCacheEntry | undefined;
}

/**
 * Processes a page of a build whose manifest the page worker writes. The worker answers
 * each page it is sent with this; the main thread, for the pages it takes over at the
 * end of the build (PageOffload.takeOver), so those are kept and cached the same way.
 * Throws what processPage throws.
 */
export function answerPage(job: PageJob, setup: AnswerSetup): AnsweredPage {
  const { options, hash } = setup;
  const processed = processPage(job.html, job.url, options, setup.linkElements);
  // Sending the page back would copy ~the whole page again; the insertion is enough.
  const { html, links, scope, contentHash, ...rest } = processed;
  const outsideArticle = linksOutsideArticle({ scope, links }, options);
  return {
    result: { ...rest, outsideArticle },
    page: {
      url: job.url,
      pingback: rest.pingback,
      links,
      outsideArticle,
      ...(contentHash === null ? {} : { contentHash }),
    },
    // A page with warnings is processed again next time, so they are told again.
    cache:
      hash !== undefined && rest.warnings.length === 0
        ? {
            hash,
            insertion: rest.insertion,
            ...(setup.outputFingerprints ? { output: pageFingerprint(html) } : {}),
            ...(outsideArticle ? { outsideArticle } : {}),
          }
        : undefined,
  };
}
