import { dateFormatter } from "./date-text.ts";
import { groupByKind } from "./kinds.ts";
import { DEFAULTS, PINGBACK_CLASSES } from "./render-defaults.ts";
import {
  clampLevel,
  fallbackTitle,
  positive,
  renderAuthor,
  renderDate,
  safeHref,
  siteName,
  withWord,
} from "./render-parts.ts";
import { renderPeople, renderReplies } from "./render-responses.ts";
import { cleanText, escapeHtml } from "./text.ts";
import type { ReceivedEntry } from "./types.ts";

export { PINGBACK_CLASSES } from "./render-defaults.ts";

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
  /**
   * Headings of the groups, shown when more than one kind of response is present
   * (then the section's own heading defaults to "Responses").
   */
  groupHeadings?: { replies?: string; likes?: string; reposts?: string; mentions?: string };
  /** The word between a reply's author and its date. Default "replied". */
  repliedText?: string;
  /** Longest reply excerpt shown, in characters. Default 280. */
  maxExcerptLength?: number;
  /**
   * Avatars of likes, reposts and replies. By default, the copies the build saved into
   * the site's output when `received.avatars` is on, and none otherwise: readers'
   * browsers then make no request to anyone else. `false` shows none; a function maps
   * the author's photo URL to the one to show, or null for none.
   */
  avatars?: boolean | ((photoUrl: string) => string | null);
}

/**
 * Renders received mentions grouped by kind, in a `<section>` with a heading:
 * replies as short comments (author, date, excerpt, link), likes and reposts as
 * a row of names with a count, and bookmarks, mentions and pingbacks as an `<ol>`
 * of citing posts (no "Pingback from", no excerpts): each the post's title linked
 * to it (with its `lang`/`hreflang` when known), then "by" its author or site name
 * "on" a `<time datetime>` in the page's language. With only citing posts, the
 * markup is that list alone, under "Posts linking here". Returns "" when `entries`
 * is empty (or the empty-state section when `emptyText` is set). All entry data is
 * treated as hostile: text is escaped and capped, only http(s) URLs become hrefs.
 */
export function renderPingbacks(
  entries: readonly ReceivedEntry[],
  options: RenderOptions = {},
): string {
  // A bad language tag is a template's mistake: say so on every page, with or without entries.
  if (options.lang !== undefined) dateFormatter(options.lang);
  const level = clampLevel(options.headingLevel, DEFAULTS.headingLevel);
  const maxEntries = positive(options.maxEntries, DEFAULTS.maxEntries);
  const shown = entries.length > maxEntries ? entries.slice(-maxEntries) : entries;
  const groups = groupByKind(shown);
  const onlyMentions = groups.mentions.length === shown.length;
  const headingText = options.heading ?? (onlyMentions ? DEFAULTS.heading : DEFAULTS.mixedHeading);
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
  const list = (items: readonly ReceivedEntry[]) =>
    `<ol class="${PINGBACK_CLASSES.list}">${items.map((entry) => renderEntry(entry, options)).join("")}</ol>`;
  // data-no-pingback: the citing posts listed here are not links of this post, wherever
  // a template puts the list; without it a build could ping its own citers back.
  const open = `<section class="${PINGBACK_CLASSES.section}" data-no-pingback>${heading}`;
  if (onlyMentions) return `${open}${list(shown)}</section>`;

  const sub = Math.min(6, level + 1);
  const names = { ...DEFAULTS.groupHeadings, ...options.groupHeadings };
  const group = (kind: keyof typeof names, count: number, body: string) =>
    `<div class="${PINGBACK_CLASSES.group} ${PINGBACK_CLASSES.group}--${kind}">` +
    `<h${sub} class="${PINGBACK_CLASSES.groupHeading}">${escapeHtml(names[kind])} ` +
    `<span class="${PINGBACK_CLASSES.count}">(${count})</span></h${sub}>${body}</div>`;
  const parts: string[] = [];
  if (groups.replies.length > 0) {
    parts.push(group("replies", groups.replies.length, renderReplies(groups.replies, options)));
  }
  for (const kind of ["likes", "reposts"] as const) {
    if (groups[kind].length > 0) {
      parts.push(group(kind, groups[kind].length, renderPeople(groups[kind], options)));
    }
  }
  if (groups.mentions.length > 0) {
    parts.push(group("mentions", groups.mentions.length, list(groups.mentions)));
  }
  return `${open}${parts.join("")}</section>`;
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
  const author = renderAuthor(entry, maxName, PINGBACK_CLASSES);
  if (author) {
    meta.push(withWord(options.byText ?? DEFAULTS.byText, author));
    // The site, when the author's name does not already stand for it.
    const site = otherSite(entry, maxName);
    if (site) meta.push(`<span class="${PINGBACK_CLASSES.site}">(${escapeHtml(site)})</span>`);
  }
  const date = renderDate(entry.published ?? entry.received, options, PINGBACK_CLASSES.date);
  if (date) meta.push(withWord(options.onText ?? DEFAULTS.onText, date));
  // A comma after the title, unless the title ends a sentence itself ("Why?, by" reads badly).
  const comma = /[.!?…:;,]$/u.test(titleText) ? "" : ",";
  const tail =
    meta.length === 0
      ? ""
      : `<span class="${PINGBACK_CLASSES.meta}">${comma} ${meta.join(" ")}</span>`;

  return `<li class="${PINGBACK_CLASSES.item} h-cite">${title}${tail}</li>`;
}

/** The source's site name when the entry names an author on another host (or none). */
function otherSite(entry: ReceivedEntry, maxName: number): string | null {
  if (!cleanText(entry.author?.name, maxName)) return null;
  const site = siteName(entry.source, maxName);
  const authorUrl = safeHref(entry.author?.url);
  if (!authorUrl) return site;
  return siteName(authorUrl, maxName) === site ? null : site;
}
