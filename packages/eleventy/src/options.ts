import {
  BUILD_OPTION_NAMES,
  type BuildOptions,
  booleanOption,
  type PingbackOptions,
  PingbackOptionsError,
  type ResolvedBuildOptions,
  type ResolvedOptions,
  rejectUnknownOptions,
  resolveBuildOptions,
  resolveOptions,
  SHARED_OPTION_NAMES,
} from "@static-pingback/core";
import {
  type ReceivedOption,
  type RenderOptions,
  type ResolvedReceived,
  resolveReceivedOptions,
} from "@static-pingback/core/received";
import { PACKAGE_NAME } from "./log.ts";

/** The plugin's options: the shared and build ones (see @static-pingback/core) and these. */
export interface EleventyPingbackOptions extends PingbackOptions, BuildOptions {
  /** Received pingbacks to render: a JF2 file, a JF2 URL, "webmention.io", or the object form. */
  received?: ReceivedOption;
  /** Defaults for the `pingbacks` shortcode's markup (heading, emptyText, …). */
  render?: RenderOptions;
  /** Also write outbox.json in --serve, --watch and incremental runs. Default false. */
  writeOutboxWhenWatching?: boolean;
}

export interface ResolvedEleventyOptions extends ResolvedBuildOptions {
  core: ResolvedOptions;
  /** The shared options as given, for the page worker (which resolves them itself). */
  shared: Record<string, unknown>;
  received: ResolvedReceived | undefined;
  render: RenderOptions;
  writeOutboxWhenWatching: boolean;
}

/** Every option of the plugin, for the unknown-option message. */
export const ELEVENTY_OPTION_NAMES: readonly string[] = [
  ...SHARED_OPTION_NAMES,
  ...BUILD_OPTION_NAMES,
  ...([
    "received",
    "render",
    "writeOutboxWhenWatching",
  ] satisfies (keyof EleventyPingbackOptions)[]),
];

const RENDER_KEYS = [
  "heading",
  "headingLevel",
  "emptyText",
  "maxTitleLength",
  "maxNameLength",
  "maxEntries",
  "lang",
  "byText",
  "onText",
  "formatDate",
] satisfies (keyof RenderOptions)[];

/** Validates the plugin's options at the door; errors name the option and this package. */
export function resolveEleventyOptions(input: unknown): ResolvedEleventyOptions {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new PingbackOptionsError(
      PACKAGE_NAME,
      "(options)",
      `must be an object such as { site: "https://example.com" }, got ${input === null ? "null" : typeof input}`,
    );
  }
  const given = input as Record<string, unknown>;
  rejectUnknownOptions(given, ELEVENTY_OPTION_NAMES, PACKAGE_NAME);
  // Core's shared options are the rest: it rejects keys it does not know.
  const shared = Object.fromEntries(
    Object.entries(given).filter(([key]) => SHARED_OPTION_NAMES.includes(key)),
  );
  const core = resolveOptions(shared, PACKAGE_NAME);
  const { received, render } = given as Partial<EleventyPingbackOptions>;
  return {
    core,
    shared,
    // Path options are relative to the project: the working directory.
    ...resolveBuildOptions(given, PACKAGE_NAME),
    received:
      received === undefined
        ? undefined
        : resolveReceivedOptions(received, PACKAGE_NAME, core.site),
    render: renderOptions(render),
    writeOutboxWhenWatching: booleanOption(
      given.writeOutboxWhenWatching,
      "writeOutboxWhenWatching",
      PACKAGE_NAME,
      false,
    ),
  };
}

function renderOptions(value: unknown): RenderOptions {
  const fail = (option: string, problem: string): never => {
    throw new PingbackOptionsError(PACKAGE_NAME, option, problem);
  };
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return fail("render", "must be an object { heading?, headingLevel?, emptyText?, … }");
  }
  const options = value as Record<string, unknown>;
  rejectUnknownOptions(options, RENDER_KEYS, PACKAGE_NAME, "render");
  for (const key of ["heading", "emptyText", "lang", "byText", "onText"]) {
    if (options[key] !== undefined && typeof options[key] !== "string")
      fail(`render.${key}`, "must be a string");
  }
  if (typeof options.lang === "string") {
    try {
      Intl.getCanonicalLocales(options.lang);
    } catch {
      fail("render.lang", `must be a language tag such as "en" or "de-CH", got "${options.lang}"`);
    }
  }
  for (const key of ["headingLevel", "maxTitleLength", "maxNameLength", "maxEntries"]) {
    const n = options[key];
    if (n !== undefined && !(typeof n === "number" && Number.isInteger(n) && n > 0)) {
      fail(`render.${key}`, "must be a positive integer");
    }
  }
  const level = options.headingLevel as number | undefined;
  if (level !== undefined && (level < 2 || level > 6))
    fail("render.headingLevel", "must be 2 to 6");
  if (options.formatDate !== undefined && typeof options.formatDate !== "function") {
    fail("render.formatDate", "must be a function (date: Date) => string");
  }
  return options as RenderOptions;
}
