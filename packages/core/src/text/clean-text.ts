/**
 * Cleaning text that came from strangers (fault strings, headers, link elements, page
 * titles) before it is stored, printed or rendered. Used by the sender, the receiver
 * and the rendering of received pingbacks.
 */

/**
 * Whole terminal escape sequences: CSI (`ESC [ … final`, or the C1 byte U+009B), the
 * string commands OSC, DCS, SOS, PM and APC (`ESC ] … BEL` or `… ESC \`, or their C1
 * bytes, which a Latin-1 header decodes to; unterminated ones up to the next ESC), and
 * the short forms (`ESC ( B`, `ESC c`). Removing only the introducer would leave
 * `]0;title` or `2J` as text. The classes are disjoint, so matching is linear.
 */
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  /(?:\u001B\[|\u009B)[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]?|(?:\u001B[\]PX^_]|[\u0090\u0098\u009D-\u009F])[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)?|\u001B[\u0020-\u002F]*[\u0030-\u007E]?/g;

/**
 * Single invisible characters: C0 controls but tab, newline and CR (left for the caller
 * to fold), DEL and C1 controls; the Arabic letter mark, left-to-right and right-to-left
 * marks, embeddings, overrides and isolates (they reorder what follows: a title that
 * reads backwards); zero-width space, word joiner and invisible operators; the
 * deprecated format characters U+206A–U+206F; the byte order mark; interlinear
 * annotation marks.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;

/**
 * Tag characters hide text that a screen does not show ("ASCII smuggling"); their one
 * visible use, a subdivision flag (black flag, tags, cancel tag), is kept.
 */
const TAGS = /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\u{E0000}-\u{E007F}]/gu;

/** Zero-width non-joiner and joiner, in runs. */
const JOINERS = /[\u200C\u200D]+/g;
const SPACE = /\s/;

/**
 * ZWNJ and ZWJ are kept where they do something: between two visible characters (Persian
 * and Urdu need ZWNJ inside words, Indic scripts and emoji sequences such as 👩‍💻 need
 * ZWJ). A run is cut to its first character; one at either end or next to a space, which
 * joins nothing, is removed.
 */
function keepJoiners(run: string, at: number, text: string): string {
  const before = text[at - 1];
  const after = text[at + run.length];
  if (before === undefined || after === undefined) return "";
  if (SPACE.test(before) || SPACE.test(after)) return "";
  return run.charAt(0);
}

/**
 * `text` without terminal escape sequences, control characters, bidi controls and
 * direction marks, zero-width characters (but joiners that join), tag characters and
 * the BOM. Tabs, newlines and carriage returns stay, for the caller to fold.
 */
export function stripInvisible(text: string): string {
  const stripped = text.replace(ESCAPE_SEQUENCE, "").replace(INVISIBLE, "");
  const untagged = stripped.replace(TAGS, (_match, flag: string | undefined) => flag ?? "");
  return untagged.replace(JOINERS, keepJoiners);
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

const WHITESPACE_RUN = /\s+/g;

/**
 * One line to store or print from an untrusted string: invisible characters removed,
 * whitespace (newlines included) folded to single spaces, trimmed, capped at `max` code
 * points. The input is cut first, so a megabyte of text costs little.
 */
export function cleanLine(text: string, max = 2_000): string {
  const head = text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text;
  return truncate(stripInvisible(head).replace(WHITESPACE_RUN, " ").trim(), max);
}

/** `cleanLine` of an untrusted value: only strings; null when nothing is left. */
export function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const text = cleanLine(value, max);
  return text === "" ? null : text;
}
