import { BuildReceived, type ResolvedReceived } from "@static-pingback/core/received";
import type { RuntimeConfig } from "./received-source.ts";

export const VIRTUAL_CONFIG_ID = "virtual:@static-pingback/astro/config";
const RESOLVED_ID = `\0${VIRTUAL_CONFIG_ID}`;

/** The small part of Vite's plugin interface used here (Vite's types are not a dependency). */
export interface VirtualModulePlugin {
  name: string;
  resolveId(id: string): string | undefined;
  load(this: { addWatchFile(file: string): void }, id: string): Promise<string | undefined>;
  watchChange(id: string): void;
}

export interface VirtualConfigInput {
  /** The resolved `received` option, or undefined when none is set. */
  received: ResolvedReceived | undefined;
  site: URL | undefined;
  /** Astro's project root: relative files and the cache directory start there. */
  root: string;
  format: string;
  warn: (message: string) => void;
}

/**
 * What `<Pingbacks />` and the data functions read, as a virtual module: the site, the
 * build format and the received entries. The entries are loaded in Node, where the
 * integration runs (core is never bundled into the site), by core's BuildReceived: at
 * most once per build, never failing it. Empty until `configure` (Astro's config is
 * final then; the module is first loaded later). In `astro dev` a `received` file is
 * watched: when it changes, the module is loaded again and pages using it reload.
 */
export class VirtualConfig {
  #received = new BuildReceived(undefined, { warn() {} });
  #site: URL | undefined;
  #format = "directory";

  configure(input: VirtualConfigInput): void {
    this.#received = new BuildReceived(input.received, { cwd: input.root, warn: input.warn });
    this.#site = input.site;
    this.#format = input.format;
  }

  /** The received entries of this build (and the photos to copy into the output). */
  get received(): BuildReceived {
    return this.#received;
  }

  async #module(): Promise<RuntimeConfig> {
    return {
      site: this.#site?.href ?? null,
      format: this.#format,
      entries: await this.#received.load(this.#site?.pathname ?? "/"),
    };
  }

  /** The Vite plugin that serves the module. */
  vitePlugin(): VirtualModulePlugin {
    const config = this;
    return {
      name: "@static-pingback/astro:config",
      resolveId: (id) => (id === VIRTUAL_CONFIG_ID ? RESOLVED_ID : undefined),
      async load(id) {
        if (id !== RESOLVED_ID) return undefined;
        const watched = config.received.watchFile;
        if (watched !== undefined) this.addWatchFile(watched);
        return `export default ${JSON.stringify(await config.#module())};`;
      },
      watchChange: (id) => config.received.changed(id),
    };
  }
}
