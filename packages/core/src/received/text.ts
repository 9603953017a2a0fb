/** Small, pure helpers for untrusted text and URLs from received data. */

export { cleanText, stripInvisible, truncate } from "../text/clean-text.ts";

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
