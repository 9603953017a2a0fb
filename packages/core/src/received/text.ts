/** Small, pure helpers for untrusted text and URLs from received data. */

// C0/C1 controls and bidi overrides/isolates: invisible, and the latter can make a
// title read backwards (spoofing). Tabs and newlines are folded into spaces first.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const WHITESPACE_RUN = /\s+/g;

/**
 * `text` without C0/C1 control characters (an ESC can drive a terminal that prints it)
 * and bidi overrides (which can make a title read backwards). Tabs, newlines and
 * carriage returns stay, for the caller to fold.
 */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** Cuts `text` to at most `max` code points (never splitting a surrogate pair), adding "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let count = 0;
  let end = 0;
  while (end < text.length && count < max) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
    count++;
  }
  if (end >= text.length) return text;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * A display string from an untrusted value: only strings, invisible controls removed,
 * whitespace collapsed, capped at `max` code points; null when nothing is left.
 * The input is cut before the regexes run, so a 1 MB title costs little.
 */
export function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const head = value.length > max * 4 + 64 ? value.slice(0, max * 4 + 64) : value;
  const text = stripInvisible(head.replace(WHITESPACE_RUN, " ")).trim();
  if (text === "") return null;
  return truncate(text, max);
}

/** Longest URL kept; longer ones are dropped rather than cut (a cut URL is a wrong URL). */
export const MAX_URL_LENGTH = 2048;

/** The URL's canonical href when it is an absolute http(s) URL without credentials, else null. */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password) return null;
  return url.href.length > MAX_URL_LENGTH ? null : url.href;
}

/** An ISO 8601 timestamp from an untrusted date string, or null. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 64) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  return new Date(time).toISOString();
}

const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,7}$/;

/** A BCP 47-shaped language tag, or null. */
export function languageTag(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const tag = value.trim();
  return LANGUAGE_TAG.test(tag) ? tag : null;
}

/** Escapes text for use in HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
