import type { ResolvedOptions } from "../options/types.ts";
import { FastScanDeclined, scanHeadInsertion } from "./fast/fast-scan.ts";
import {
  elementsText,
  elementTexts,
  type HeadLinkElement,
  headLinkElements,
} from "./link-element.ts";
import { isPageEnabled } from "./page-enabled.ts";
import type { PageResult } from "./types.ts";

/**
 * A cheap guess at `processPage(html, pageUrl, options).insertion`, from the page's
 * `<head>` alone: null when nothing goes in (the page does not take part, or its head
 * holds the build's link elements already), undefined when the head is beyond the fast
 * scan (call processPage). Something later in the page (an endpoint
 * link in the body, say) can still change the real answer, so a caller that acts on the guess
 * must compare it with processPage's result and undo it when they differ. It lets an
 * adapter write the page at once and leave the whole-page work to another thread.
 */
export function predictInsertion(
  html: string,
  pageUrl: URL,
  options: ResolvedOptions,
  elements: readonly HeadLinkElement[] = headLinkElements(options),
): PageResult["insertion"] | undefined {
  if (!isPageEnabled(pageUrl, options)) return null;
  try {
    const head = scanHeadInsertion(
      html,
      elementTexts(elements),
      html.charCodeAt(0) === 0xfeff ? 1 : 0,
    );
    const text = head.hasOwnElements ? "" : elementsText(elements);
    return text === "" ? null : { offset: head.insertAt, text };
  } catch (error) {
    if (error instanceof FastScanDeclined) return undefined;
    throw error;
  }
}

/** Whether two insertions are the same edit. */
export function sameInsertion(a: PageResult["insertion"], b: PageResult["insertion"]): boolean {
  if (a === null || b === null) return a === b;
  return a.offset === b.offset && a.text === b.text;
}

/** The page with an insertion applied. */
export function applyInsertion(html: string, insertion: PageResult["insertion"]): string {
  return insertion
    ? html.slice(0, insertion.offset) + insertion.text + html.slice(insertion.offset)
    : html;
}

/**
 * A written page without an insertion made by `applyInsertion`: cut out where it was
 * made, or else (something after it changed the page) at the first place the text
 * occurs; the page as it is when the text is gone altogether.
 */
export function removeInsertion(html: string, insertion: PageResult["insertion"]): string {
  if (!insertion) return html;
  const { offset, text } = insertion;
  const at = html.startsWith(text, offset) ? offset : html.indexOf(text);
  return at === -1 ? html : html.slice(0, at) + html.slice(at + text.length);
}
