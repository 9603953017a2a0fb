import {
  type PingbackOptions,
  PingbackOptionsError,
  type ResolvedOptions,
  resolveOptions,
} from "@static-pingback/core";
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
  /** How many built pages are read, processed and rewritten at once. Default 8. */
  concurrency?: number;
}

/** The parts of Astro's resolved config the integration reads. */
export interface AstroSiteConfig {
  site?: string | undefined;
  base: string;
  integrations: readonly { name: string }[];
}

export interface ResolvedAstroOptions {
  core: ResolvedOptions;
  concurrency: number;
  previousManifest: string | undefined;
  publishManifest: boolean;
  /** True when Starlight's content container was chosen as the content scope. */
  starlightScope: boolean;
}

const DEFAULT_CONCURRENCY = 8;

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
  // Adapter-only options are taken out: core rejects keys it does not know.
  const { concurrency, previousManifest, publishManifest, ...shared } =
    given as AstroPingbackOptions & Record<string, unknown>;

  const site = shared.site ?? (config.site ? new URL(config.base, config.site).href : undefined);
  if (site === undefined || site === "") return undefined;

  const starlightScope = shared.contentSelector === undefined && usesStarlight(config.integrations);
  const core = resolveOptions(
    {
      ...shared,
      site,
      contentSelector: starlightScope ? STARLIGHT_CONTENT_SELECTOR : shared.contentSelector,
    },
    PACKAGE_NAME,
  );
  return {
    core,
    concurrency: positiveInteger(concurrency, DEFAULT_CONCURRENCY),
    previousManifest: optionalString(previousManifest, "previousManifest"),
    publishManifest: optionalBoolean(publishManifest, "publishManifest", true),
    starlightScope,
  };
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
