import { isJsonObject } from "../files/is-json-object.ts";
import {
  BUILD_OPTION_NAMES,
  type ResolvedBuildOptions,
  resolveBuildOptions,
} from "./build-options.ts";
import { rejectUnknownOptions } from "./known-options.ts";
import { PingbackOptionsError } from "./options-error.ts";
import { describeValue, SHARED_OPTION_NAMES } from "./resolve-options.ts";

/** An adapter's options object, checked and split the way core takes it. */
export interface AdapterOptions {
  /** Every option as given: the adapter reads its own ones from here. */
  given: Readonly<Record<string, unknown>>;
  /** The shared options alone, for resolveOptions and the page worker. */
  shared: Record<string, unknown>;
  /** The build options, validated. */
  build: ResolvedBuildOptions;
}

export interface AdapterOptionsSetup {
  packageName: string;
  /** The adapter's own option names, beside the shared and build ones. */
  own: readonly string[];
  /** Where a relative `previousManifest` starts. Default: the working directory. */
  root?: string | undefined;
  /** The options may be left out altogether (an integration called with no arguments). */
  optional?: boolean | undefined;
}

/**
 * The first step of every adapter's option check: `input` is an object, each key is
 * a shared, build or adapter option (else the error names it and the nearest known
 * name, out of all of that adapter's), and the build options are valid.
 */
export function splitAdapterOptions(input: unknown, setup: AdapterOptionsSetup): AdapterOptions {
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
    [...SHARED_OPTION_NAMES, ...BUILD_OPTION_NAMES, ...setup.own],
    packageName,
  );
  return {
    given,
    shared: Object.fromEntries(
      Object.entries(given).filter(([key]) => SHARED_OPTION_NAMES.includes(key)),
    ),
    build: resolveBuildOptions(given, packageName, setup.root),
  };
}
