import { writeFileAtomic } from "../files/json-file.ts";
import type { PageAnswerResult } from "../offload/page-worker-messages.ts";
import type { ResolvedOptions } from "../options/types.ts";
import type { HeadLinkElement } from "../page/link-element.ts";
import { linksOutsideArticle } from "../page/outside-article.ts";
import { removeInsertion, sameInsertion } from "../page/predict-insertion.ts";
import { processPage } from "../page/process-page.ts";
import type { PageResult } from "../page/types.ts";
import { type BuildPage, linksPage } from "./build-page.ts";

/** Where a handed-out page's result comes from. */
export type PageAnswer =
  /** Unchanged since the last build: the page cache had its insertion, the worker its links. */
  | { kind: "cached"; pingback: boolean }
  /** Processed on this thread. */
  | { kind: "inline"; result: PageAnswerResult }
  /** Sent to the page worker: its answer, or why there is none (a failed page, a lost worker). */
  | { kind: "offloaded"; job: number; result: Promise<PageAnswerResult | Error> };

/**
 * A page handed back to the site generator before the build knows it is right: its
 * link elements were inserted where the page's head says (predictInsertion) or where
 * the page cache says, and the whole-page answer is checked against the written page
 * at the end of the build (`settlePage`).
 */
export interface HandedOutPage {
  /** The URL it was processed as. */
  url: string;
  /** What was inserted (null: nothing). */
  sent: PageResult["insertion"];
  answer: PageAnswer;
  /** For messages: the page's source (Eleventy's inputPath), when known. */
  label?: string | undefined;
}

export type SettledPage =
  /** The answer stands: it agrees with the insertion, or the page was not written. */
  | { kind: "answered"; page: BuildPage; warnings: readonly string[] }
  /** The insertion was wrong, or there was no answer: redone from the written page. */
  | { kind: "redone"; page: BuildPage; warnings: readonly string[] }
  /** The page cannot be processed: its file is left as the site generator rendered it. */
  | { kind: "skipped"; error: Error };

export interface SettleInput {
  /** The page's final URL (where it differs from the one processed, the page is redone). */
  url: string;
  /** Its output file, absolute. */
  file: string;
  /** What was written to it; undefined: nothing was (a dry run). */
  written: string | undefined;
  options: ResolvedOptions;
  linkElements: readonly HeadLinkElement[];
}

/**
 * Settles a handed-out page at the end of the build. Where its answer confirms the
 * insertion (same URL, same edit), the answer stands: with the links, or with the job
 * id when the worker keeps them for the manifest. Otherwise the insertion is taken out
 * of the written page, the page processed here, and the file rewritten (atomically)
 * when that changes it. A page that cannot be processed is restored to what the site
 * generator rendered.
 */
export async function settlePage(page: HandedOutPage, input: SettleInput): Promise<SettledPage> {
  const { url, file, written } = input;
  const { answer } = page;
  const sameUrl = page.url === url;
  if (answer.kind === "cached" && sameUrl) {
    return {
      kind: "answered",
      page: { kind: "cached", url, pingback: answer.pingback, file },
      warnings: [],
    };
  }
  const result =
    answer.kind === "inline"
      ? answer.result
      : answer.kind === "offloaded"
        ? await answer.result
        : undefined;
  if (
    result &&
    !(result instanceof Error) &&
    sameUrl &&
    (written === undefined || sameInsertion(page.sent, result.insertion))
  ) {
    const { pingback, links, warnings } = result;
    const built: BuildPage =
      links || answer.kind !== "offloaded"
        ? linksPage(url, result)
        : { kind: "kept", url, pingback, job: answer.job, file };
    return { kind: "answered", page: built, warnings };
  }
  if (written === undefined) {
    return { kind: "skipped", error: result instanceof Error ? result : new Error("no answer") };
  }
  const original = removeInsertion(written, page.sent);
  try {
    return { kind: "redone", ...(await processWritten({ ...input, written, original })) };
  } catch (error) {
    if (original !== written) await writeFileAtomic(file, original, { durable: false });
    return { kind: "skipped", error: error as Error };
  }
}

/**
 * A written page processed here (`original`: the page without what was inserted into
 * it before, default what was written), its file rewritten (atomically) when that
 * changes it. Throws when the page cannot be processed.
 */
export async function processWritten(
  input: Omit<SettleInput, "written"> & { written: string; original?: string },
): Promise<{ page: BuildPage; warnings: readonly string[] }> {
  const { url, file, written, options } = input;
  const processed = processPage(input.original ?? written, url, options, input.linkElements);
  const { html, warnings } = processed;
  // Build output: atomic for readers, not flushed (a rebuild recreates it).
  if (html !== written) await writeFileAtomic(file, html, { durable: false });
  const outsideArticle = linksOutsideArticle(processed, options);
  return { page: linksPage(url, { ...processed, outsideArticle }), warnings };
}
