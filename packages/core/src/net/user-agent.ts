import { readFileSync } from "node:fs";

const PROJECT_URL = "https://github.com/static-pingback/static-pingback";

function coreVersion(): string {
  try {
    // Same relative path from src/net and dist/net.
    const url = new URL("../../package.json", import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** The version of @static-pingback/core, as the User-Agent states it. */
export const VERSION = coreVersion();

/**
 * `static-pingback/1.2.3 (+https://github.com/…)`, with `extra` (e.g. "receiver;
 * https://example.com/") inside the comment so site owners can tell who called.
 */
export function defaultUserAgent(extra?: string): string {
  const comment = extra ? `${extra}; +${PROJECT_URL}` : `+${PROJECT_URL}`;
  return `static-pingback/${VERSION} (${comment})`;
}
