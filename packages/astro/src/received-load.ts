import path from "node:path";
import {
  copyAvatars,
  loadReceived,
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
  /** Files the config is read from (a `received` file), for the dev server to watch. */
  watchFiles: readonly string[];
  /** Tells the source that a file changed; the next `config()` loads again if it was one of its. */
  changed(file: string): void;
  /**
   * Puts the authors' photos the build saved (`received.avatars`) into `outDir`; answers
   * a warning when that failed. Nothing to do when nothing was loaded.
   */
  copyAvatars(outDir: string): Promise<string | undefined>;
}

/**
 * Received pingbacks are loaded in Node, where the integration runs (core is never
 * bundled into the site), at most once per build. Never throws: a source that is
 * down gives warnings and the cached copy or nothing, so the build goes on.
 */
export function runtimeConfigSource(input: RuntimeConfigInput): RuntimeConfigSource {
  const options =
    input.received === undefined
      ? undefined
      : resolveReceivedOptions(input.received, PACKAGE_NAME, input.site);
  const watchFiles = options?.kind === "file" ? [path.resolve(input.root, options.file)] : [];
  let loading: Promise<RuntimeConfig> | undefined;
  let avatarFiles: string[] = [];

  const load = async (): Promise<RuntimeConfig> => {
    const base = { site: input.site?.href ?? null, format: input.format };
    if (!options) return { ...base, entries: [] };
    const loaded = await loadReceived(options, {
      cwd: input.root,
      base: input.site?.pathname ?? "/",
    });
    for (const warning of loaded.warnings) input.warn(warning);
    avatarFiles = loaded.avatarFiles ?? [];
    return { ...base, entries: loaded.entries };
  };

  return {
    config: () => {
      loading ??= load();
      return loading;
    },
    watchFiles,
    changed: (file) => {
      if (watchFiles.includes(path.resolve(file))) loading = undefined;
    },
    copyAvatars: async (outDir) => {
      if (!options || !loading) return undefined;
      await loading;
      try {
        await copyAvatars(avatarFiles, path.resolve(input.root, options.cacheDir), outDir);
        return undefined;
      } catch (error) {
        return `authors' photos not copied into the output: ${(error as Error).message}`;
      }
    },
  };
}
