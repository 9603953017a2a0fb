import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BuildOptions,
  isJsonObject,
  type PingbackOptions,
  positiveIntegerOption,
  type ResolvedBuildOptions,
  type ResolvedOptions,
  resolveOptions,
  splitAdapterOptions,
} from "@static-pingback/core";
import {
  type ReceivedOption,
  type ResolvedReceived,
  resolveReceivedOptions,
} from "@static-pingback/core/received";
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
  core: ResolvedOptions;
  /** The shared options as given, with the final site and scope, for the page worker. */
  workerInput: Record<string, unknown>;
  concurrency: number;
  /** True when Starlight's content container was chosen as the content scope. */
  starlightScope: boolean;
}

const DEFAULT_CONCURRENCY = 8;

const OWN_OPTIONS = ["received", "concurrency"] satisfies (keyof AstroPingbackOptions)[];

/**
 * Validates the integration's options against Astro's config. Returns undefined when
 * neither the options nor Astro give a `site` (the integration then skips its work);
 * throws PingbackOptionsError naming the option otherwise.
 */
export function resolveAstroOptions(
  input: unknown,
  config: AstroSiteConfig,
): ResolvedAstroOptions | undefined {
  const { given, shared, build } = splitAdapterOptions(input, {
    packageName: PACKAGE_NAME,
    own: OWN_OPTIONS,
    root: rootPath(config.root),
    optional: true,
  });
  const concurrency = positiveIntegerOption(
    given.concurrency,
    "concurrency",
    PACKAGE_NAME,
    DEFAULT_CONCURRENCY,
  );
  const starlightScope = shared.contentSelector === undefined && usesStarlight(config.integrations);
  const coreInput = {
    ...shared,
    ...(starlightScope ? { contentSelector: STARLIGHT_CONTENT_SELECTOR } : {}),
  };
  const site = siteRoot(shared.site as string | undefined, config);
  if (site === undefined) {
    // Nothing will run, but a mistake in the other options is still reported now.
    resolveOptions({ ...coreInput, site: "https://site.invalid/" }, PACKAGE_NAME);
    return undefined;
  }
  const workerInput = { ...coreInput, site };
  const core = resolveOptions(workerInput, PACKAGE_NAME);
  return {
    // stateDir, like the other paths, from the project root.
    core: { ...core, stateDir: path.resolve(rootPath(config.root), core.stateDir) },
    workerInput,
    ...build,
    concurrency,
    starlightScope,
  };
}

function rootPath(root: URL | string | undefined): string {
  if (root === undefined) return process.cwd();
  return typeof root === "string" ? root : fileURLToPath(root);
}

/** The site's root URL: the `site` option, else Astro's `site` joined with `base`. */
function siteRoot(option: string | undefined, config: AstroSiteConfig): string | undefined {
  if (option !== undefined && option !== "") return option;
  return config.site ? new URL(config.base, config.site).href : undefined;
}

/**
 * The `received` option, resolved (throws PingbackOptionsError naming it); undefined
 * when it is not set. Works without a site too: a file or URL source needs none.
 */
export function resolveReceivedOption(
  input: unknown,
  config: AstroSiteConfig,
): ResolvedReceived | undefined {
  if (!isJsonObject(input)) return undefined;
  const { received, site } = input as AstroPingbackOptions;
  if (received === undefined) return undefined;
  const root = siteRoot(site, config);
  return resolveReceivedOptions(
    received,
    PACKAGE_NAME,
    root === undefined ? undefined : new URL(root),
  );
}
