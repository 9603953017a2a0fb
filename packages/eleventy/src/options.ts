import {
  type PingbackOptions,
  PingbackOptionsError,
  type ResolvedOptions,
  rejectUnknownOptions,
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

/** The plugin's options: the shared ones (see @static-pingback/core) and these. */
export interface EleventyPingbackOptions extends PingbackOptions {
  /** Received pingbacks to render: a JF2 file, a JF2 URL, "webmention.io", or the object form. */
  received?: ReceivedOption;
  /** Defaults for the `pingbacks` shortcode's markup (heading, emptyText, …). */
  render?: RenderOptions;
  /** Manifest to diff against: a path or URL of the deployed copy. Default: the one in stateDir. */
  previousManifest?: string;
  /** Publish a copy of the manifest as /pingback-manifest.json in the output. Default true. */
  publishManifest?: boolean;
  /** Also write outbox.json in --serve, --watch and incremental runs. Default false. */
  writeOutboxWhenWatching?: boolean;
  /** Process pages in a worker thread (when the machine has a spare core). Default true. */
  workerThread?: boolean;
  /**
   * Keep a page cache in stateDir, so a full build skips pages unchanged since the last
   * one (needs the worker thread; not used with `previousManifest`). Default true.
   */
  pageCache?: boolean;
}

export interface ResolvedEleventyOptions {
  core: ResolvedOptions;
  /** The shared options as given, for the page worker (which resolves them itself). */
  shared: Record<string, unknown>;
  received: ResolvedReceived | undefined;
  render: RenderOptions;
  previousManifest: string | undefined;
  publishManifest: boolean;
  writeOutboxWhenWatching: boolean;
  workerThread: boolean;
  pageCache: boolean;
}

/** Every option of the plugin, for the unknown-option message. */
export const ELEVENTY_OPTION_NAMES: readonly string[] = [
  ...SHARED_OPTION_NAMES,
  ...([
    "received",
    "render",
    "previousManifest",
    "publishManifest",
    "writeOutboxWhenWatching",
    "workerThread",
    "pageCache",
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
  rejectUnknownOptions(input as Record<string, unknown>, ELEVENTY_OPTION_NAMES, PACKAGE_NAME);
  const {
    received,
    render,
    previousManifest,
    publishManifest,
    writeOutboxWhenWatching,
    workerThread,
    pageCache,
    ...shared
  } = input as EleventyPingbackOptions & Record<string, unknown>;
  const core = resolveOptions(shared, PACKAGE_NAME);
  const fail = (option: string, problem: string): never => {
    throw new PingbackOptionsError(PACKAGE_NAME, option, problem);
  };

  if (
    previousManifest !== undefined &&
    (typeof previousManifest !== "string" || previousManifest === "")
  ) {
    fail("previousManifest", "must be a file path or an http(s) URL of the deployed manifest");
  }
  for (const [name, value] of [
    ["publishManifest", publishManifest],
    ["writeOutboxWhenWatching", writeOutboxWhenWatching],
    ["workerThread", workerThread],
    ["pageCache", pageCache],
  ] as const) {
    if (value !== undefined && typeof value !== "boolean") fail(name, "must be true or false");
  }
  return {
    core,
    shared,
    received:
      received === undefined
        ? undefined
        : resolveReceivedOptions(received, PACKAGE_NAME, core.site),
    render: renderOptions(render, fail),
    previousManifest,
    publishManifest: publishManifest ?? true,
    writeOutboxWhenWatching: writeOutboxWhenWatching ?? false,
    workerThread: workerThread ?? true,
    pageCache: pageCache ?? true,
  };
}

function renderOptions(
  value: unknown,
  fail: (option: string, problem: string) => never,
): RenderOptions {
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
