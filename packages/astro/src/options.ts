import {
  type PingbackOptions,
  PingbackOptionsError,
  type ResolvedOptions,
  rejectUnknownOptions,
  resolveOptions,
  SHARED_OPTION_NAMES,
} from "@static-pingback/core";
import { type ReceivedOption, resolveReceivedOptions } from "@static-pingback/core/received";
import { STARLIGHT_CONTENT_SELECTOR, usesStarlight } from "./starlight.ts";

export const PACKAGE_NAME = "@static-pingback/astro";

/** Options of the Astro integration: the shared ones, by the same names as the Eleventy plugin. */
export interface AstroPingbackOptions extends Partial<PingbackOptions> {
  /**
   * Absolute URL of the deployed site, with its base path. Default: Astro's `site`
   * joined with `base`. Without either, the integration warns and does nothing.
   */
  site?: string;
  /**
   * The manifest to diff against: a path, or the http(s) URL of the deployed copy.
   * Default: manifest.json in `stateDir` (the previous build's).
   */
  previousManifest?: string;
  /** Also write the manifest into the output as `pingback-manifest.json`. Default true. */
  publishManifest?: boolean;
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
  /** Process pages in a worker thread (when the machine has a spare core). Default true. */
  workerThread?: boolean;
  /**
   * Keep a page cache in `stateDir`, so a build skips pages unchanged since the last one
   * (needs the worker thread; not used with `previousManifest`). Default true.
   */
  pageCache?: boolean;
}

/** The parts of Astro's resolved config the integration reads. */
export interface AstroSiteConfig {
  site?: string | undefined;
  base: string;
  integrations: readonly { name: string }[];
}

export interface ResolvedAstroOptions {
  core: ResolvedOptions;
  /** The shared options as given, with the final site and scope, for the page worker. */
  workerInput: Record<string, unknown>;
  workerThread: boolean;
  pageCache: boolean;
  concurrency: number;
  previousManifest: string | undefined;
  publishManifest: boolean;
  /** True when Starlight's content container was chosen as the content scope. */
  starlightScope: boolean;
}

const DEFAULT_CONCURRENCY = 8;

/** Every option of the integration, for the unknown-option message. */
export const ASTRO_OPTION_NAMES: readonly string[] = [
  ...SHARED_OPTION_NAMES,
  ...([
    "received",
    "previousManifest",
    "publishManifest",
    "concurrency",
    "workerThread",
    "pageCache",
  ] satisfies (keyof AstroPingbackOptions)[]),
];

/**
 * Validates the integration's options against Astro's config. Returns undefined when
 * neither the options nor Astro give a `site` (the integration then skips its work);
 * throws PingbackOptionsError naming the option otherwise.
 */
export function resolveAstroOptions(
  input: unknown,
  config: AstroSiteConfig,
): ResolvedAstroOptions | undefined {
  const given = input ?? {};
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new PingbackOptionsError(PACKAGE_NAME, "(options)", "must be an object or omitted");
  }
  rejectUnknownOptions(given as Record<string, unknown>, ASTRO_OPTION_NAMES, PACKAGE_NAME);
  // Adapter-only options are taken out: core rejects keys it does not know.
  const {
    concurrency,
    previousManifest,
    publishManifest,
    workerThread,
    pageCache,
    received: _received, // validated by resolveReceivedOption
    ...shared
  } = given as AstroPingbackOptions & Record<string, unknown>;

  const adapter = {
    concurrency: positiveInteger(concurrency, DEFAULT_CONCURRENCY),
    previousManifest: optionalString(previousManifest, "previousManifest"),
    publishManifest: optionalBoolean(publishManifest, "publishManifest", true),
    workerThread: optionalBoolean(workerThread, "workerThread", true),
    pageCache: optionalBoolean(pageCache, "pageCache", true),
  };
  const starlightScope = shared.contentSelector === undefined && usesStarlight(config.integrations);
  const coreInput = {
    ...shared,
    contentSelector: starlightScope ? STARLIGHT_CONTENT_SELECTOR : shared.contentSelector,
  };

  const site = siteRoot(shared.site, config);
  if (site === undefined) {
    // Nothing will run, but a mistake in the other options is still reported now.
    resolveOptions({ ...coreInput, site: "https://site.invalid/" }, PACKAGE_NAME);
    return undefined;
  }
  const workerInput = { ...coreInput, site };
  return {
    core: resolveOptions(workerInput, PACKAGE_NAME),
    workerInput,
    ...adapter,
    starlightScope,
  };
}

/** The site's root URL: the `site` option, else Astro's `site` joined with `base`. */
function siteRoot(option: string | undefined, config: AstroSiteConfig): string | undefined {
  if (option !== undefined && option !== "") return option;
  return config.site ? new URL(config.base, config.site).href : undefined;
}

/**
 * Validates the `received` option (throws PingbackOptionsError naming it). Works
 * without a site too: a file or URL source needs none.
 */
export function resolveReceivedOption(
  input: unknown,
  config: AstroSiteConfig,
): ReceivedOption | undefined {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return undefined;
  const { received } = input as AstroPingbackOptions;
  if (received === undefined) return undefined;
  const site = siteRoot((input as AstroPingbackOptions).site, config);
  resolveReceivedOptions(received, PACKAGE_NAME, site === undefined ? undefined : new URL(site));
  return received;
}

function positiveInteger(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new PingbackOptionsError(
      PACKAGE_NAME,
      "concurrency",
      `must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") {
    throw new PingbackOptionsError(
      PACKAGE_NAME,
      option,
      `must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function optionalBoolean(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new PingbackOptionsError(
      PACKAGE_NAME,
      option,
      `must be true or false, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
