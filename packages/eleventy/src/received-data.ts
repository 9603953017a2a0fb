import { resolve } from "node:path";
import {
  copyAvatars,
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
  /** Authors' photos saved for this build (`received.avatars`), to copy into the output. */
  #avatarFiles: string[] = [];

  constructor(options: ResolvedReceived | undefined, log: Log) {
    this.#options = options;
    this.#log = log;
  }

  /** `base`: the site's base path, for the saved avatars' paths (known from `eleventy.before`). */
  ensure(base = "/"): Promise<ReceivedEntry[]> {
    if (!this.#options) return Promise.resolve(this.entries);
    this.#pending ??= this.#load(this.#options, base);
    return this.#pending;
  }

  /** Puts the photos this build saved into the output; a failure is a warning. */
  async copyAvatars(outputDir: string): Promise<void> {
    if (!this.#options || this.#avatarFiles.length === 0) return;
    try {
      await copyAvatars(this.#avatarFiles, resolve(this.#options.cacheDir), outputDir);
    } catch (error) {
      this.#log.warn(`authors' photos not copied into the output: ${(error as Error).message}`);
    }
  }

  /** The next build loads again (the disk cache decides whether that means a fetch). */
  endBuild(): void {
    this.#pending = undefined;
  }

  for(url: unknown, site: URL): ReceivedEntry[] {
    if (typeof url !== "string" && !(url instanceof URL)) return [];
    return entriesForUrl(this.entries, url, site);
  }

  async #load(options: ResolvedReceived, base: string): Promise<ReceivedEntry[]> {
    const result = await loadReceived(options, { base });
    for (const warning of result.warnings) this.#log.warn(warning);
    this.entries = result.entries;
    this.#avatarFiles = result.avatarFiles ?? [];
    return result.entries;
  }
}
