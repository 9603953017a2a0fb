import { stripInvisible } from "@static-pingback/core/received";

/**
 * One display line from text that may come from the network (a server's fault string,
 * an error message): whitespace folded, controls and bidi overrides removed, capped.
 */
export function cleanLine(text: string, max = 300): string {
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const line = stripInvisible(head.replace(/\s+/g, " ")).trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** "2026-12-03T08:15:00.000Z" → "2026-12-03 08:15 UTC" (as given when not a date). */
export function displayTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return cleanLine(iso, 40);
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
