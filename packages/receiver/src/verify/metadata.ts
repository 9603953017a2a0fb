import type { Element, Root } from "hast";
import type { CitingPost } from "../store/types.ts";
import type { FoundLink } from "./find-link.ts";
import { attribute, collapse, findFirst, hasClass, truncate, visibleText } from "./html-tree.ts";

export const MAX_TITLE_LENGTH = 200;
export const MAX_AUTHOR_LENGTH = 100;
export const MAX_EXCERPT_LENGTH = 280;

const BLOCKS = new Set([
  "p",
  "li",
  "blockquote",
  "dd",
  "td",
  "figcaption",
  "section",
  "article",
  "div",
  "main",
  "body",
]);

function safeHttpUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function textOrNull(value: string | undefined | null, max: number): string | null {
  if (value === undefined || value === null) return null;
  const text = collapse(value);
  return text === "" ? null : truncate(text, max);
}

/** A date as ISO 8601, or null when it does not parse or is absurd. */
function isoDate(value: string | undefined): string | null {
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

function metaContent(tree: Root, test: (e: Element) => boolean): string | undefined {
  const meta = findFirst(tree, (e) => e.tagName === "meta" && test(e));
  return meta ? attribute(meta, "content") : undefined;
}

/** The microformats2 value of a `dt-*` element: `datetime`, `value`, `title`, else its text. */
function dateValue(element: Element): string | undefined {
  return (
    attribute(element, "dateTime") ??
    attribute(element, "value") ??
    attribute(element, "title") ??
    visibleText(element)
  );
}

function author(tree: Root, entry: Element | undefined, base: string) {
  const scope = entry ?? tree;
  const card =
    findFirst(scope, (e) => hasClass(e, "p-author")) ??
    (entry ? undefined : findFirst(tree, (e) => hasClass(e, "h-card")));
  if (card) {
    const nameEl = hasClass(card, "h-card")
      ? findFirst(card, (e) => hasClass(e, "p-name"))
      : undefined;
    const urlEl = hasClass(card, "h-card")
      ? findFirst(card, (e) => hasClass(e, "u-url"))
      : undefined;
    const name = textOrNull(nameEl ? visibleText(nameEl) : visibleText(card), MAX_AUTHOR_LENGTH);
    const url = safeHttpUrl((urlEl && attribute(urlEl, "href")) ?? attribute(card, "href"), base);
    if (name || url) return { name, url };
  }
  const metaName = metaContent(tree, (e) => attribute(e, "name")?.toLowerCase() === "author");
  const relAuthor = findFirst(
    tree,
    (e) =>
      (e.tagName === "link" || e.tagName === "a") &&
      Array.isArray(e.properties.rel) &&
      e.properties.rel.includes("author"),
  );
  return {
    name: textOrNull(metaName, MAX_AUTHOR_LENGTH),
    url: safeHttpUrl(relAuthor && attribute(relAuthor, "href"), base),
  };
}

/** Text of the nearest block around the link, windowed on the link's own text. */
function excerpt(link: FoundLink): string | null {
  const block = [...link.ancestors].reverse().find((e) => BLOCKS.has(e.tagName)) ?? link.element;
  const text = visibleText(block);
  if (text.length <= MAX_EXCERPT_LENGTH) return text === "" ? null : text;
  const anchor = visibleText(link.element);
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
 * language (h-entry or `<html lang>`), and a capped excerpt around the link.
 */
export function extractCitingPost(tree: Root, base: string, link: FoundLink): CitingPost {
  const entry = findFirst(tree, (e) => hasClass(e, "h-entry"));
  const nameEl = entry && findFirst(entry, (e) => hasClass(e, "p-name"));
  const titleEl = findFirst(tree, (e) => e.tagName === "title");
  const title =
    textOrNull(nameEl && visibleText(nameEl), MAX_TITLE_LENGTH) ??
    textOrNull(
      titleEl?.children.map((c) => (c.type === "text" ? c.value : "")).join(""),
      MAX_TITLE_LENGTH,
    );
  const publishedEl = entry && findFirst(entry, (e) => hasClass(e, "dt-published"));
  const published =
    isoDate(publishedEl && dateValue(publishedEl)) ??
    isoDate(metaContent(tree, (e) => attribute(e, "property") === "article:published_time"));
  const html = findFirst(tree, (e) => e.tagName === "html");
  const lang =
    language(entry && attribute(entry, "lang")) ??
    language(
      link.ancestors.findLast((e) => attribute(e, "lang") !== undefined)?.properties.lang as
        | string
        | undefined,
    ) ??
    language(html && attribute(html, "lang"));
  const who = author(tree, entry, base);
  return {
    title,
    authorName: who.name,
    authorUrl: who.url,
    published,
    lang,
    excerpt: excerpt(link),
  };
}
