import { dateFormatter } from "./date-text.ts";
import { cleanText, escapeHtml, truncate } from "./text.ts";
import type { ReceivedEntry } from "./types.ts";

/** Pieces of markup shared by the citing-post list and the responses (replies, likes, reposts). */

/** `html` after a word of the page's language ("by", "on"); "" leaves the word out. */
export function withWord(word: string, html: string): string {
  return word === "" ? html : `${escapeHtml(word)} ${html}`;
}

export function renderAuthor(
  entry: ReceivedEntry,
  maxName: number,
  classes: { author: string },
): string | null {
  const name = cleanText(entry.author?.name, maxName) ?? siteName(entry.source, maxName);
  if (!name) return null;
  const href = safeHref(entry.author?.url);
  const authorClasses = `${classes.author} p-author h-card`;
  return href
    ? `<a class="${authorClasses}" href="${escapeHtml(href)}">${escapeHtml(name)}</a>`
    : `<span class="${authorClasses}">${escapeHtml(name)}</span>`;
}

export function renderDate(
  iso: string | null,
  options: { lang?: string; formatDate?: (date: Date) => string },
  className: string,
): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const datetime = date.toISOString();
  const text = options.formatDate
    ? String(options.formatDate(date))
    : dateFormatter(options.lang).format(date);
  return `<time class="${className} dt-published" datetime="${escapeHtml(datetime)}">${escapeHtml(truncate(text, 64))}</time>`;
}

/** The URL again, only when it is http(s); entries are normalised already, this is the last guard. */
export function safeHref(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export function siteName(source: string, max: number): string | null {
  try {
    return truncate(new URL(source).hostname.replace(/^www\./, ""), max);
  } catch {
    return null;
  }
}

/** A title for an untitled post: its host and path, readable. */
export function fallbackTitle(source: string, max: number): string {
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

/** A heading level from 2 to 6 (the page's title is the h1); `fallback` when not an integer. */
export function clampLevel(level: number | undefined, fallback = 2): number {
  if (level === undefined || !Number.isInteger(level)) return fallback;
  return Math.min(6, Math.max(2, level));
}

export function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
