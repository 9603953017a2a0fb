import { resolve } from "node:path";
import { isJsonObject } from "../files/is-json-object.ts";
import { type ResolvedReceived, resolveReceivedOptions } from "../received/options.ts";
import {
  BUILD_OPTION_NAMES,
  type ResolvedBuildOptions,
  resolveBuildOptions,
} from "./build-options.ts";
import { rejectUnknownOptions } from "./known-options.ts";
import { PingbackOptionsError } from "./options-error.ts";
import { describeValue, resolveOptions, SHARED_OPTION_NAMES } from "./resolve-options.ts";
import type { ResolvedOptions } from "./types.ts";

/** Every adapter's `received` option (see received/options.ts), resolved here once. */
const RECEIVED_OPTION = "received";

/** An adapter's options, checked and resolved the way core takes them. */
export interface AdapterOptions {
  /** Every option as given: the adapter reads its own ones from here. */
  given: Readonly<Record<string, unknown>>;
  /**
   * The shared options, resolved. Undefined only for an `optional` adapter given no
   * site by the user or by `defaults` (the other options were still checked).
   */
  core: ResolvedOptions | undefined;
  /** The shared options as given, with `defaults` filled in, for the page worker. */
  shared: Record<string, unknown>;
  /** The build options, validated. */
  build: ResolvedBuildOptions;
  /** The `received` option, resolved (the site is webmention.io's default domain); undefined when not set. */
  received: ResolvedReceived | undefined;
}

export interface AdapterOptionsSetup {
  packageName: string;
  /** The adapter's own option names, beside the shared, build and `received` ones. */
  own: readonly string[];
  /**
   * The project root: relative `previousManifest` and `stateDir` start there. Default:
   * the working directory (and `stateDir` stays as given).
   */
  root?: string | undefined;
  /**
   * The options may be left out altogether (an integration called with no arguments),
   * and so may the site: `core` is then undefined.
   */
  optional?: boolean | undefined;
  /** Values the framework's own config gives for shared options the user left out. */
  defaults?: { site?: string | undefined; contentSelector?: readonly string[] | undefined };
}

/**
 * Every adapter's option check: `input` is an object, each key is a shared, build,
 * `received` or adapter option (else the error names it and the nearest known name,
 * out of all of that adapter's), and the shared, build and `received` ones are valid.
 * Errors are PingbackOptionsError naming the option and the adapter's package.
 */
export function resolveAdapterOptions(
  input: unknown,
  setup: AdapterOptionsSetup & { optional?: false | undefined },
): AdapterOptions & { core: ResolvedOptions };
export function resolveAdapterOptions(input: unknown, setup: AdapterOptionsSetup): AdapterOptions;
export function resolveAdapterOptions(input: unknown, setup: AdapterOptionsSetup): AdapterOptions {
  const { packageName } = setup;
  const value = input === undefined && setup.optional ? {} : input;
  if (!isJsonObject(value)) {
    throw new PingbackOptionsError(
      packageName,
      "(options)",
      `must be an object such as { site: "https://example.com" }${setup.optional ? " or left out" : ""}, got ${describeValue(value)}`,
    );
  }
  const given = value;
  rejectUnknownOptions(
    given,
    [...SHARED_OPTION_NAMES, ...BUILD_OPTION_NAMES, RECEIVED_OPTION, ...setup.own],
    packageName,
  );
  const build = resolveBuildOptions(given, packageName, setup.root);
  const shared = withDefaults(
    Object.fromEntries(Object.entries(given).filter(([key]) => SHARED_OPTION_NAMES.includes(key))),
    setup.defaults,
  );
  const hasSite = shared.site !== undefined && shared.site !== "";
  let core: ResolvedOptions | undefined;
  if (hasSite || !setup.optional) {
    core = resolveOptions(shared, packageName);
    if (setup.root !== undefined) core.stateDir = resolve(setup.root, core.stateDir);
  } else {
    // Nothing will run, but a mistake in the other options is still reported now.
    resolveOptions({ ...shared, site: "https://site.invalid/" }, packageName);
  }
  const received = given[RECEIVED_OPTION];
  return {
    given,
    core,
    shared,
    build,
    received:
      received === undefined
        ? undefined
        : resolveReceivedOptions(received, packageName, core?.site),
  };
}

/** `shared` with the framework's values for the options it leaves out (an empty site too). */
function withDefaults(
  shared: Record<string, unknown>,
  defaults: AdapterOptionsSetup["defaults"] = {},
): Record<string, unknown> {
  const filled = { ...shared };
  for (const [key, value] of Object.entries(defaults)) {
    const missing = filled[key] === undefined || (key === "site" && filled[key] === "");
    if (value !== undefined && missing) filled[key] = value;
  }
  return filled;
}
