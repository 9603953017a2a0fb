import { resolve } from "node:path";
import { PingbackOptionsError } from "./options-error.ts";

/** The build options every adapter takes beside the shared ones, by the same names. */
export interface BuildOptions {
  /**
   * The manifest to diff against: a path (from the project root) or the http(s) URL of
   * the deployed copy. Default: manifest.json in `stateDir` (the previous build's).
   */
  previousManifest?: string;
  /** Also write the manifest into the output as `pingback-manifest.json`. Default true. */
  publishManifest?: boolean;
  /** Process pages in a worker thread (when the machine has a spare core). Default true. */
  workerThread?: boolean;
  /**
   * Keep a page cache in `stateDir`, so a build skips pages unchanged since the last one
   * (needs the worker thread; not used with `previousManifest`). Default true.
   */
  pageCache?: boolean;
}

export interface ResolvedBuildOptions {
  /** An absolute path, or the URL as given. */
  previousManifest: string | undefined;
  publishManifest: boolean;
  workerThread: boolean;
  pageCache: boolean;
}

/** The names of BuildOptions, for an adapter's list of known options. */
export const BUILD_OPTION_NAMES = [
  "previousManifest",
  "publishManifest",
  "workerThread",
  "pageCache",
] as const satisfies readonly (keyof BuildOptions)[];

/**
 * Validates the build options (the other keys of `input` are left alone); errors name
 * the option and the package. A relative `previousManifest` is taken from `root`.
 */
export function resolveBuildOptions(
  input: Readonly<Record<string, unknown>>,
  packageName: string,
  root: string = process.cwd(),
): ResolvedBuildOptions {
  const { previousManifest } = input;
  if (
    previousManifest !== undefined &&
    (typeof previousManifest !== "string" || previousManifest === "")
  ) {
    throw new PingbackOptionsError(
      packageName,
      "previousManifest",
      `must be a file path or an http(s) URL of the deployed manifest, got ${JSON.stringify(previousManifest)}`,
    );
  }
  const flag = (name: keyof BuildOptions) => booleanOption(input[name], name, packageName, true);
  return {
    previousManifest:
      previousManifest === undefined || /^https?:\/\//i.test(previousManifest)
        ? previousManifest
        : resolve(root, previousManifest),
    publishManifest: flag("publishManifest"),
    workerThread: flag("workerThread"),
    pageCache: flag("pageCache"),
  };
}

/** A true/false option: `fallback` when left out, an error naming it otherwise. */
export function booleanOption(
  value: unknown,
  option: string,
  packageName: string,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new PingbackOptionsError(
      packageName,
      option,
      `must be true or false, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A whole-number option of at least 1: `fallback` when left out. */
export function positiveIntegerOption(
  value: unknown,
  option: string,
  packageName: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new PingbackOptionsError(
      packageName,
      option,
      `must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
