import type { CitingPost } from "../store/types.ts";
import type { PageFacts, Span } from "./scan-page.ts";
import { collapse, truncate } from "./text.ts";

export const MAX_TITLE_LENGTH = 200;
export const MAX_AUTHOR_LENGTH = 100;
export const MAX_EXCERPT_LENGTH = 280;

export function safeHttpUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function textOrNull(value: string | undefined | null, max: number): string | null {
  if (value === undefined || value === null) return null;
  const text = collapse(value);
  return text === "" ? null : truncate(text, max);
}

/** A date as ISO 8601, or null when it does not parse or is absurd. */
export function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value.trim());
  if (Number.isNaN(time)) return null;
  const year = new Date(time).getUTCFullYear();
  return year >= 1990 && year <= 2200 ? new Date(time).toISOString() : null;
}

const BCP47 = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;

function language(value: string | undefined): string | null {
  const tag = value?.trim();
  return tag && tag.length <= 35 && BCP47.test(tag) ? tag : null;
}

/** Visible text of a span, whitespace folded. */
function textOf(page: PageFacts, span: Span | undefined): string | undefined {
  return span && collapse(page.text.slice(span.start, span.end));
}

function author(page: PageFacts) {
  // Inside an h-entry only its own p-author counts; else any p-author, else any h-card.
  const card = page.entry ? page.entry.author : (page.firstAuthor ?? page.firstCard);
  if (card) {
    const nameSpan = card.hCard && card.name ? card.name : card.text;
    const name = textOrNull(textOf(page, nameSpan), MAX_AUTHOR_LENGTH);
    const url = safeHttpUrl(card.url ?? card.href, page.base);
    if (name || url) return { name, url };
  }
  return {
    name: textOrNull(page.metaAuthor?.content, MAX_AUTHOR_LENGTH),
    url: safeHttpUrl(page.relAuthor?.href, page.base),
  };
}

/** Text of the nearest block around the link, windowed on the link's own text. */
function excerpt(page: PageFacts, link: NonNullable<PageFacts["link"]>): string | null {
  const text = textOf(page, link.block) ?? "";
  if (text.length <= MAX_EXCERPT_LENGTH) return text === "" ? null : text;
  const anchor = textOf(page, link.text);
  const at = anchor ? text.indexOf(anchor) : -1;
  const start = Math.max(0, Math.max(at, 0) - Math.floor(MAX_EXCERPT_LENGTH / 3));
  const window = text.slice(start);
  const body = truncate(window, MAX_EXCERPT_LENGTH - (start > 0 ? 1 : 0));
  return start > 0 ? `…${body.trimStart()}` : body;
}

/**
 * What a reader of our page should see about the citing post: title (h-entry
 * `p-name`, else `<title>`), author (h-card, else `<meta name=author>` and
 * `rel=author`), published date (`dt-published`, else `article:published_time`),
 * language (h-entry, the link's nearest `lang`, or `<html lang>`), and a capped
 * excerpt around the link.
 */
export function extractCitingPost(
  page: PageFacts,
  link: NonNullable<PageFacts["link"]>,
): CitingPost {
  const { entry } = page;
  const title =
    textOrNull(textOf(page, entry?.name), MAX_TITLE_LENGTH) ??
    textOrNull(page.title, MAX_TITLE_LENGTH);
  const published =
    isoDate(
      entry?.published && (entry.published.attribute ?? textOf(page, entry.published.text)),
    ) ?? isoDate(page.metaPublished?.content);
  const lang = language(entry?.lang) ?? language(link.lang) ?? language(page.htmlLang);
  const who = author(page);
  return {
    title,
    authorName: who.name,
    authorUrl: who.url,
    published,
    lang,
    excerpt: excerpt(page, link),
  };
}
