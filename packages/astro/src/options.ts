import { fileURLToPath } from "node:url";
import {
  type BuildOptions,
  type PingbackOptions,
  positiveIntegerOption,
  type ResolvedBuildOptions,
  type ResolvedOptions,
  resolveAdapterOptions,
} from "@static-pingback/core";
import type { ReceivedOption, ResolvedReceived } from "@static-pingback/core/received";
import { STARLIGHT_CONTENT_SELECTOR, usesStarlight } from "./starlight.ts";

export const PACKAGE_NAME = "@static-pingback/astro";

/**
 * Options of the Astro integration: the shared and build ones (see @static-pingback/core),
 * by the same names as the Eleventy plugin, and these. Path options are relative to the
 * Astro project root.
 */
export interface AstroPingbackOptions extends Partial<PingbackOptions>, BuildOptions {
  /**
   * Absolute URL of the deployed site, with its base path. Default: Astro's `site`
   * joined with `base`. Without either, the integration warns and does nothing.
   */
  site?: string;
  /**
   * Where received pingbacks come from, for `<Pingbacks />` and the data functions: a
   * JF2 file path (from the project root), a JF2 export URL (our receiver's
   * `/pingbacks.jf2`), "webmention.io" (token in $WEBMENTION_IO_TOKEN), or the object
   * form `{ file | url | webmentionIo, duration, cacheDir, offline, … }`. Same as the
   * Eleventy plugin's option.
   */
  received?: ReceivedOption;
  /**
   * How many built pages are read, processed and rewritten at once, for pages the
   * integration could not handle while Astro rendered them. Default 8.
   */
  concurrency?: number;
}

/** The parts of Astro's resolved config the integration reads. */
export interface AstroSiteConfig {
  site?: string | undefined;
  base: string;
  /** The project root: relative path options start there. Default: the working directory. */
  root?: URL | string;
  integrations: readonly { name: string }[];
}

export interface ResolvedAstroOptions extends ResolvedBuildOptions {
  /** The shared options, resolved; undefined without a site (the integration then skips its work). */
  core: ResolvedOptions | undefined;
  /** The shared options as given, with the final site and scope, for the page worker. */
  workerInput: Record<string, unknown>;
  /** The `received` option, resolved; undefined when it is not set (works without a site). */
  received: ResolvedReceived | undefined;
  concurrency: number;
  /** True when Starlight's content container was chosen as the content scope. */
  starlightScope: boolean;
}

const DEFAULT_CONCURRENCY = 8;

/**
 * Validates the integration's options against Astro's config (throws
 * PingbackOptionsError naming the option). Path options start at Astro's project root;
 * the site defaults to Astro's `site` joined with `base`, the content scope to
 * Starlight's container in a Starlight site.
 */
export function resolveAstroOptions(input: unknown, config: AstroSiteConfig): ResolvedAstroOptions {
  const starlight = usesStarlight(config.integrations);
  const { given, core, shared, build, received } = resolveAdapterOptions(input, {
    packageName: PACKAGE_NAME,
    own: ["concurrency"] satisfies (keyof AstroPingbackOptions)[],
    root: typeof config.root === "object" ? fileURLToPath(config.root) : config.root,
    optional: true,
    defaults: {
      site: config.site ? new URL(config.base, config.site).href : undefined,
      contentSelector: starlight ? STARLIGHT_CONTENT_SELECTOR : undefined,
    },
  });
  return {
    core,
    workerInput: shared,
    received,
    ...build,
    concurrency: positiveIntegerOption(
      given.concurrency,
      "concurrency",
      PACKAGE_NAME,
      DEFAULT_CONCURRENCY,
    ),
    starlightScope: starlight && given.contentSelector === undefined,
  };
}
