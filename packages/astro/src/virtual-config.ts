import type { RuntimeConfig } from "./received-source.ts";

export const VIRTUAL_CONFIG_ID = "virtual:@static-pingback/astro/config";
const RESOLVED_ID = `\0${VIRTUAL_CONFIG_ID}`;

/** The small part of Vite's plugin interface used here (Vite's types are not a dependency). */
export interface VirtualModulePlugin {
  name: string;
  resolveId(id: string): string | undefined;
  load(id: string): Promise<string | undefined>;
}

/**
 * A Vite plugin serving the runtime config (with the received entries) to
 * `<Pingbacks />` and the data functions. `config` is asked for when the module is
 * first loaded, after Astro's config is final.
 */
export function virtualConfigPlugin(config: () => Promise<RuntimeConfig>): VirtualModulePlugin {
  return {
    name: "@static-pingback/astro:config",
    resolveId: (id) => (id === VIRTUAL_CONFIG_ID ? RESOLVED_ID : undefined),
    load: async (id) =>
      id === RESOLVED_ID ? `export default ${JSON.stringify(await config())};` : undefined,
  };
}
