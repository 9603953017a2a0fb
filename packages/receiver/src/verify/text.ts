import { stripInvisible } from "@static-pingback/core/received";

/** Whitespace folded, and no control or bidi-override characters: the text is shown later. */
export function collapse(text: string): string {
  return stripInvisible(text.replace(/\s+/g, " ")).trim();
}

/** Cuts to `max` characters on a word boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
