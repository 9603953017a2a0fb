import {
  loadReceived,
  type ReceivedEntry,
  type ReceivedOption,
  resolveReceivedOptions,
} from "@static-pingback/core/received";
import { PACKAGE_NAME } from "./options.ts";

export interface ReceivedLoadInput {
  /** The validated `received` option, or undefined when none is set. */
  received: ReceivedOption | undefined;
  site: URL | undefined;
  /** Astro's project root: relative files and the cache directory start there. */
  root: string;
  warn: (message: string) => void;
}

/**
 * Loads received pingbacks in Node, where the integration runs (core is never
 * bundled into the site). Never throws: a source that is down gives warnings and
 * the cached copy or nothing, so the build goes on.
 */
export async function loadReceivedEntries(input: ReceivedLoadInput): Promise<ReceivedEntry[]> {
  if (input.received === undefined) return [];
  const options = resolveReceivedOptions(input.received, PACKAGE_NAME, input.site);
  const loaded = await loadReceived(options, { cwd: input.root });
  for (const warning of loaded.warnings) input.warn(warning);
  return loaded.entries;
}
