import {
  BuildReceived,
  type ReceivedOption,
  resolveReceivedOptions,
} from "@static-pingback/core/received";
import { PACKAGE_NAME } from "./options.ts";
import type { RuntimeConfig } from "./received-source.ts";

export interface RuntimeConfigInput {
  /** The validated `received` option, or undefined when none is set. */
  received: ReceivedOption | undefined;
  site: URL | undefined;
  /** Astro's project root: relative files and the cache directory start there. */
  root: string;
  format: string;
  warn: (message: string) => void;
}

/** The runtime config of a site, loaded on first use and again after its data file changed. */
export interface RuntimeConfigSource {
  config(): Promise<RuntimeConfig>;
  /** The entries, loaded once per build by core (see BuildReceived). */
  received: BuildReceived;
}

/**
 * Received mentions are loaded in Node, where the integration runs (core is never
 * bundled into the site), by core's BuildReceived: at most once per build, never
 * failing it. This adds what the virtual module carries beside the entries.
 */
export function runtimeConfigSource(input: RuntimeConfigInput): RuntimeConfigSource {
  const options =
    input.received === undefined
      ? undefined
      : resolveReceivedOptions(input.received, PACKAGE_NAME, input.site);
  const received = new BuildReceived(options, { cwd: input.root, warn: input.warn });
  const base = { site: input.site?.href ?? null, format: input.format };
  return {
    config: async () => ({ ...base, entries: await received.load(input.site?.pathname ?? "/") }),
    received,
  };
}
