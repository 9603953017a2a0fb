import {
  entriesForUrl,
  loadReceived,
  type ReceivedEntry,
  type ResolvedReceived,
} from "@static-pingback/core/received";
import type { Log } from "./log.ts";

/**
 * Received pingbacks for the templates: loaded at most once per build (whoever asks
 * first: the `eleventy.before` hook or the global data), never failing the build.
 */
export class ReceivedData {
  #options: ResolvedReceived | undefined;
  #log: Log;
  #pending: Promise<ReceivedEntry[]> | undefined;
  /** The entries of the current build; empty until loaded, or when no source is set. */
  entries: ReceivedEntry[] = [];

  constructor(options: ResolvedReceived | undefined, log: Log) {
    this.#options = options;
    this.#log = log;
  }

  ensure(): Promise<ReceivedEntry[]> {
    if (!this.#options) return Promise.resolve(this.entries);
    this.#pending ??= this.#load(this.#options);
    return this.#pending;
  }

  /** The next build loads again (the disk cache decides whether that means a fetch). */
  endBuild(): void {
    this.#pending = undefined;
  }

  for(url: unknown, site: URL): ReceivedEntry[] {
    if (typeof url !== "string" && !(url instanceof URL)) return [];
    return entriesForUrl(this.entries, url, site);
  }

  async #load(options: ResolvedReceived): Promise<ReceivedEntry[]> {
    const result = await loadReceived(options);
    for (const warning of result.warnings) this.#log.warn(warning);
    this.entries = result.entries;
    return result.entries;
  }
}
