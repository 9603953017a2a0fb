import { dateFormatter } from "./date-text.ts";
import { cleanText, escapeHtml, truncate } from "./text.ts";
import type { ReceivedEntry } from "./types.ts";

/** Options of renderPingbacks; every one is optional. */
export interface RenderOptions {
  /** Heading text. Default "Posts linking here". */
  heading?: string;
  /** Heading element level, 2–6. Default 2. */
  headingLevel?: number;
  /** Text shown when there are no entries; by default nothing at all is rendered. */
  emptyText?: string;
  /** Longest title shown, in characters (code points). Default 140. */
  maxTitleLength?: number;
  /** Longest author or site name shown. Default 80. */
  maxNameLength?: number;
  /** Most entries shown (the latest ones). Default 100. */
  maxEntries?: number;
  /**
   * The page's language (BCP 47, e.g. "en", "de-CH"): dates read as its long calendar
   * date, in UTC ("27 November 2026" for en). Default "en", like the default words.
   */
  lang?: string;
  /** The word before the author, in the page's language. Default "by"; "" leaves it out. */
  byText?: string;
  /** The word before the date, in the page's language. Default "on"; "" leaves it out. */
  onText?: string;
  /** How a date reads, instead of `lang`'s long date; its result is escaped. */
  formatDate?: (date: Date) => string;
}

/**
 * Class names of the markup, for theming. BEM-style block `pingbacks`; the
 * microformats classes (`h-cite`, `u-url`, `p-name`, `p-author`, `h-card`,
 * `dt-published`) are always present as well.
 */
export const PINGBACK_CLASSES = {
  section: "pingbacks",
  sectionEmpty: "pingbacks pingbacks--empty",
  heading: "pingbacks__heading",
  list: "pingbacks__list",
  item: "pingbacks__item",
  title: "pingbacks__title",
  meta: "pingbacks__meta",
  author: "pingbacks__author",
  date: "pingbacks__date",
  empty: "pingbacks__empty",
} as const;

const DEFAULTS = {
  heading: "Posts linking here",
  headingLevel: 2,
  maxTitleLength: 140,
  maxNameLength: 80,
  maxEntries: 100,
  byText: "by",
  onText: "on",
};

/**
 * Renders received pingbacks as a list of citing posts (no "Pingback from", no
 * excerpts): a `<section>` with a heading and an `<ol>` of `h-cite`s, each the
 * post's title linked to it (with its `lang`/`hreflang` when known), then "by" its
 * author or site name "on" a `<time datetime>` in the page's language. Returns ""
 * when `entries` is empty (or the empty-state section when `emptyText` is set). All
 * entry data is treated as hostile: text is escaped and capped, only http(s) URLs
 * become hrefs.
 */
export function renderPingbacks(
  entries: readonly ReceivedEntry[],
  options: RenderOptions = {},
): string {
  // A bad language tag is a template's mistake: say so on every page, with or without entries.
  if (options.lang !== undefined) dateFormatter(options.lang);
  const level = clampLevel(options.headingLevel);
  const headingText = options.heading ?? DEFAULTS.heading;
  const heading =
    headingText === ""
      ? ""
      : `<h${level} class="${PINGBACK_CLASSES.heading}">${escapeHtml(headingText)}</h${level}>`;
  if (entries.length === 0) {
    if (!options.emptyText) return "";
    return (
      `<section class="${PINGBACK_CLASSES.sectionEmpty}" data-no-pingback>${heading}` +
      `<p class="${PINGBACK_CLASSES.empty}">${escapeHtml(options.emptyText)}</p></section>`
    );
  }
  const maxEntries = positive(options.maxEntries, DEFAULTS.maxEntries);
  const shown = entries.length > maxEntries ? entries.slice(-maxEntries) : entries;
  const items = shown.map((entry) => renderEntry(entry, options)).join("");
  return (
    // data-no-pingback: the citing posts listed here are not links of this post, wherever
    // a template puts the list; without it a build could ping its own citers back.
    `<section class="${PINGBACK_CLASSES.section}" data-no-pingback>${heading}` +
    `<ol class="${PINGBACK_CLASSES.list}">${items}</ol></section>`
  );
}

/**
 * One citing post as an `<li class="h-cite">` that reads as a sentence: "Title, by
 * Author on 27 November 2026". The citing post's language marks its title only; the
 * words and the date around it are the page's.
 */
export function renderEntry(entry: ReceivedEntry, options: RenderOptions = {}): string {
  const maxTitle = positive(options.maxTitleLength, DEFAULTS.maxTitleLength);
  const maxName = positive(options.maxNameLength, DEFAULTS.maxNameLength);
  const source = safeHref(entry.source);
  const lang = entry.lang ? escapeHtml(entry.lang) : null;
  const langAttributes = lang ? ` hreflang="${lang}" lang="${lang}"` : "";

  const titleText = cleanText(entry.title, maxTitle) ?? fallbackTitle(entry.source, maxTitle);
  const title = source
    ? `<a class="${PINGBACK_CLASSES.title} u-url p-name" href="${escapeHtml(source)}"${langAttributes}>${escapeHtml(titleText)}</a>`
    : `<span class="${PINGBACK_CLASSES.title} p-name"${lang ? ` lang="${lang}"` : ""}>${escapeHtml(titleText)}</span>`;

  const meta: string[] = [];
  const author = renderAuthor(entry, maxName);
  if (author) meta.push(withWord(options.byText ?? DEFAULTS.byText, author));
  const date = renderDate(entry.published ?? entry.received, options);
  if (date) meta.push(withWord(options.onText ?? DEFAULTS.onText, date));
  // A comma after the title, unless the title ends a sentence itself ("Why?, by" reads badly).
  const comma = /[.!?…:;,]$/u.test(titleText) ? "" : ",";
  const tail =
    meta.length === 0
      ? ""
      : `<span class="${PINGBACK_CLASSES.meta}">${comma} ${meta.join(" ")}</span>`;

  return `<li class="${PINGBACK_CLASSES.item} h-cite">${title}${tail}</li>`;
}

function withWord(word: string, html: string): string {
  return word === "" ? html : `${escapeHtml(word)} ${html}`;
}

function renderAuthor(entry: ReceivedEntry, maxName: number): string | null {
  const name = cleanText(entry.author?.name, maxName) ?? siteName(entry.source, maxName);
  if (!name) return null;
  const href = safeHref(entry.author?.url);
  const classes = `${PINGBACK_CLASSES.author} p-author h-card`;
  return href
    ? `<a class="${classes}" href="${escapeHtml(href)}">${escapeHtml(name)}</a>`
    : `<span class="${classes}">${escapeHtml(name)}</span>`;
}

function renderDate(iso: string | null, options: RenderOptions): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const datetime = date.toISOString();
  const text = options.formatDate
    ? String(options.formatDate(date))
    : dateFormatter(options.lang).format(date);
  return `<time class="${PINGBACK_CLASSES.date} dt-published" datetime="${escapeHtml(datetime)}">${escapeHtml(truncate(text, 64))}</time>`;
}

/** The URL again, only when it is http(s); entries are normalised already, this is the last guard. */
function safeHref(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function siteName(source: string, max: number): string | null {
  try {
    return truncate(new URL(source).hostname.replace(/^www\./, ""), max);
  } catch {
    return null;
  }
}

/** A title for an untitled post: its host and path, readable. */
function fallbackTitle(source: string, max: number): string {
  try {
    const url = new URL(source);
    const path = decodeSafely(url.pathname).replace(/\/$/, "");
    return truncate(`${url.hostname}${path}`, max);
  } catch {
    return truncate(source, max);
  }
}

function decodeSafely(path: string): string {
  try {
    return cleanText(decodeURIComponent(path), 2048) ?? "";
  } catch {
    return path;
  }
}

function clampLevel(level: number | undefined): number {
  if (level === undefined || !Number.isInteger(level)) return DEFAULTS.headingLevel;
  return Math.min(6, Math.max(2, level));
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
