import { appendFile } from "node:fs/promises";

/** A workflow command's message: the runner reads %, CR and LF as escapes. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value: also `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `::warning title=…::message` (or error/notice): an annotation on the run. */
export function annotation(
  level: "warning" | "error" | "notice",
  message: string,
  title?: string,
): string {
  const properties = title ? ` title=${escapeProperty(title)}` : "";
  return `::${level}${properties}::${escapeData(message)}`;
}

/**
 * Step outputs for `$GITHUB_OUTPUT`. Values here are numbers and booleans; anything
 * else would need the heredoc form, so a line break is refused rather than mangled.
 */
export async function writeOutputs(
  file: string | undefined,
  outputs: Record<string, string | number | boolean>,
): Promise<void> {
  if (!file) return;
  const lines = Object.entries(outputs).map(([name, value]) => {
    const text = String(value);
    if (/[\r\n]/.test(text)) throw new Error(`output ${name} must be one line`);
    return `${name}=${text}\n`;
  });
  await appendFile(file, lines.join(""));
}

/** Appends to `$GITHUB_STEP_SUMMARY` (other steps of the job write there too). */
export async function appendStepSummary(file: string | undefined, markdown: string): Promise<void> {
  if (file) await appendFile(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}
