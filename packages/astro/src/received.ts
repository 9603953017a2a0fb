/**
 * `@static-pingback/astro/received`: received pingbacks as data, for custom markup.
 * The entries come from the integration (its `received` option) through a virtual
 * module, so this works only in a site that uses the integration.
 */
import config from "virtual:@static-pingback/astro/config";
import type { ReceivedEntry, RenderOptions } from "@static-pingback/core/received";
import { createPingbackSource } from "./received-source.ts";

const source = createPingbackSource(config);

/** Every received pingback of the site, oldest first. */
export function getAllPingbacks(): ReceivedEntry[] {
  return source.all();
}

/** The received pingbacks of one page: pass `Astro.url`, an absolute URL, or a path. */
export function getPingbacks(url: URL | string): ReceivedEntry[] {
  return source.forUrl(url);
}

/** The escaped h-cite markup `<Pingbacks />` renders, as a string ("" when none). */
export function renderPingbacksFor(url: URL | string, options?: RenderOptions): string {
  return source.html(url, options);
}

export { PINGBACK_CLASSES } from "@static-pingback/core/received";
export type { ReceivedEntry, RenderOptions };
