/**
 * `@static-pingback/astro/loader`: received pingbacks as an Astro content collection.
 *
 *   // src/content.config.ts
 *   import { defineCollection } from "astro:content";
 *   import { pingbackLoader } from "@static-pingback/astro/loader";
 *   export const collections = {
 *     pingbacks: defineCollection({ loader: pingbackLoader({ received: "data/pingbacks.json" }) }),
 *   };
 */
import { fileURLToPath } from "node:url";
import {
  loadReceived,
  type ReceivedOption,
  resolveReceivedOptions,
} from "@static-pingback/core/received";
import type { Loader } from "astro/loaders";
import { PACKAGE_NAME } from "./options.ts";

export interface PingbackLoaderOptions {
  /** The same sources as the integration's `received` option. */
  received: ReceivedOption;
  /** Site URL for webmention.io's default domain. Default: Astro's `site`. */
  site?: string;
}

/**
 * A content-layer loader: one entry per received pingback, with the id
 * "source target" and the data of `ReceivedEntry`. Never fails the sync: a source
 * that is down gives warnings and the cached copy or no entries.
 */
export function pingbackLoader(options: PingbackLoaderOptions): Loader {
  // Validated at the door, where the collection is defined.
  resolveReceivedOptions(options?.received, PACKAGE_NAME, siteUrl(options?.site));
  return {
    name: `${PACKAGE_NAME}/loader`,
    load: async ({ store, logger, config, parseData, generateDigest }) => {
      const site = siteUrl(options.site ?? config.site);
      const received = resolveReceivedOptions(options.received, PACKAGE_NAME, site);
      const loaded = await loadReceived(received, { cwd: fileURLToPath(config.root) });
      for (const warning of loaded.warnings) logger.warn(warning);
      store.clear();
      for (const entry of loaded.entries) {
        const id = `${entry.source} ${entry.target}`;
        const data = await parseData({ id, data: { ...entry } });
        store.set({ id, data, digest: generateDigest(data) });
      }
    },
  };
}

function siteUrl(site: string | undefined): URL | undefined {
  return site ? new URL(site) : undefined;
}
