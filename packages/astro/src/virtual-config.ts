import type { RuntimeConfigSource } from "./received-load.ts";

export const VIRTUAL_CONFIG_ID = "virtual:@static-pingback/astro/config";
const RESOLVED_ID = `\0${VIRTUAL_CONFIG_ID}`;

/** The small part of Vite's plugin interface used here (Vite's types are not a dependency). */
export interface VirtualModulePlugin {
  name: string;
  resolveId(id: string): string | undefined;
  load(this: { addWatchFile(file: string): void }, id: string): Promise<string | undefined>;
  watchChange(id: string): void;
}

/**
 * A Vite plugin serving the runtime config (with the received entries) to
 * `<Pingbacks />` and the data functions. The source is asked for when the module is
 * first loaded, after Astro's config is final. In `astro dev` a `received` file is
 * watched: when it changes, the module is loaded again and pages using it reload.
 */
export function virtualConfigPlugin(source: () => RuntimeConfigSource): VirtualModulePlugin {
  return {
    name: "@static-pingback/astro:config",
    resolveId: (id) => (id === VIRTUAL_CONFIG_ID ? RESOLVED_ID : undefined),
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const current = source();
      const watched = current.received.watchFile;
      if (watched !== undefined) this.addWatchFile(watched);
      return `export default ${JSON.stringify(await current.config())};`;
    },
    watchChange: (id) => source().received.changed(id),
  };
}
