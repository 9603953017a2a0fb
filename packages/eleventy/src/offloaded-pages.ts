import {
  linksOutsideArticle,
  type PageResult,
  processPage,
  type ResolvedOptions,
  removeInsertion,
  sameInsertion,
  writeFileAtomic,
} from "@static-pingback/core";
import type { BuildPage, PageAnswerResult } from "@static-pingback/core/offload";

/**
 * A page the transform returned at once, with the link element where the page's head
 * says it goes (core's predictInsertion), while the worker processes it whole.
 */
export interface OffloadedPage {
  /** The page's absolute URL. */
  url: string;
  /** Its template, for messages. */
  inputPath: string;
  /** Where Eleventy writes it (absolute). */
  outputPath: string;
  /** What the transform inserted. */
  sent: PageResult["insertion"];
  /** The worker's id for the page. */
  job: number;
  /** The worker's answer, or why there is none (a failed page, a lost worker). */
  result: Promise<PageAnswerResult | Error>;
}

export type SettledPage =
  /** The worker's answer stands: it agrees with the insertion, or the page was not written. */
  | { kind: "answered"; page: BuildPage; warnings: string[] }
  /** The guess was wrong, or the worker gave no answer: redone from the written page. */
  | { kind: "redone"; page: BuildPage; warnings: string[] }
  /** The page cannot be processed: its file is left as Eleventy rendered it. */
  | { kind: "skipped"; error: Error };

/**
 * Settles an offloaded page at the end of the build (`eleventy.after`), given what
 * Eleventy wrote to its file (undefined: nothing, as in a dry run). Where the worker
 * confirms the transform's insertion, its answer stands (with the links, or with the
 * job id when the worker keeps them for the manifest). Otherwise the insertion is taken
 * out of the written page, the page processed here, and the file rewritten
 * (atomically) when that changes it. A page that cannot be processed is restored to
 * what Eleventy rendered, as the transform leaves such pages.
 */
export async function settlePage(
  page: OffloadedPage,
  options: ResolvedOptions,
  written: string | undefined,
): Promise<SettledPage> {
  const result = await page.result;
  const { url, outputPath: file } = page;
  if (
    !(result instanceof Error) &&
    (written === undefined || sameInsertion(page.sent, result.insertion))
  ) {
    const { pingback, links, outsideArticle, warnings } = result;
    return {
      kind: "answered",
      page: links
        ? { url, pingback, links, outsideArticle }
        : { url, pingback, job: page.job, file },
      warnings,
    };
  }
  if (written === undefined) return { kind: "skipped", error: result as Error };
  const original = removeInsertion(written, page.sent);
  try {
    const redone = processPage(original, url, options);
    const { html, pingback, links, warnings } = redone;
    if (html !== written) await writeFileAtomic(file, html, { durable: false });
    const outsideArticle = linksOutsideArticle(redone, options);
    return { kind: "redone", page: { url, pingback, links, outsideArticle }, warnings };
  } catch (error) {
    if (original !== written) await writeFileAtomic(file, original, { durable: false });
    return { kind: "skipped", error: error as Error };
  }
}
