import { resolve } from "node:path";
import { copyAvatars } from "./avatars.ts";
import { loadReceived } from "./load.ts";
import type { ResolvedReceived } from "./options.ts";
import type { ReceivedEntry } from "./types.ts";

export interface BuildReceivedContext {
  /** Base for a relative `file` and `cacheDir`: the project root. Default process.cwd(). */
  cwd?: string;
  /** Where problems go; loading never fails a build. */
  warn: (message: string) => void;
}

/**
 * The received mentions of one build, as both adapters need them: loaded at most once
 * per build by whoever asks first, warnings logged and never thrown (a source that is
 * down gives the cached copy or nothing), and the authors' photos the load saved put
 * into the output at the end. `reset()` makes the next build load again (the disk
 * cache decides whether that means a fetch).
 */
export class BuildReceived {
  readonly #options: ResolvedReceived | undefined;
  readonly #context: BuildReceivedContext;
  #loading: Promise<ReceivedEntry[]> | undefined;
  #avatarFiles: string[] = [];
  /** The entries of the current build; empty until loaded, or when no source is set. */
  entries: ReceivedEntry[] = [];

  constructor(options: ResolvedReceived | undefined, context: BuildReceivedContext) {
    this.#options = options;
    this.#context = context;
  }

  /** The data file the entries come from, absolute, for a dev server to watch. */
  get watchFile(): string | undefined {
    const options = this.#options;
    return options?.kind === "file" ? this.#path(options.file) : undefined;
  }

  /** `base`: the site's base path, for the saved photos' URLs. */
  load(base = "/"): Promise<ReceivedEntry[]> {
    const options = this.#options;
    if (!options) return Promise.resolve(this.entries);
    this.#loading ??= this.#load(options, base);
    return this.#loading;
  }

  reset(): void {
    this.#loading = undefined;
  }

  /** Tells it a file changed (a dev server's watcher): its own data file means load again. */
  changed(file: string): void {
    if (this.watchFile !== undefined && resolve(file) === this.watchFile) this.reset();
  }

  /** Puts the photos this build saved into `outDir`; a failure is a warning. */
  async copyAvatars(outDir: string): Promise<void> {
    const options = this.#options;
    if (!options || !this.#loading) return;
    await this.#loading;
    if (this.#avatarFiles.length === 0) return;
    try {
      await copyAvatars(this.#avatarFiles, this.#path(options.cacheDir), outDir);
    } catch (error) {
      this.#context.warn(`authors' photos not copied into the output: ${(error as Error).message}`);
    }
  }

  async #load(options: ResolvedReceived, base: string): Promise<ReceivedEntry[]> {
    const loaded = await loadReceived(options, {
      ...(this.#context.cwd === undefined ? {} : { cwd: this.#context.cwd }),
      base,
    });
    for (const warning of loaded.warnings) this.#context.warn(warning);
    this.entries = loaded.entries;
    this.#avatarFiles = loaded.avatarFiles ?? [];
    return loaded.entries;
  }

  #path(file: string): string {
    return resolve(this.#context.cwd ?? process.cwd(), file);
  }
}
