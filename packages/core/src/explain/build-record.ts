import { mkdir } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { formatJson, readJsonFile, writeFileAtomic } from "../files/json-file.ts";
import { BUILD_FILE_WRITE } from "../manifest/manifest-files.ts";
import type { ResolvedOptions, UrlMatcher } from "../options/types.ts";

export const BUILD_RECORD_FILE = "build-record.json";

/** A URL matcher in JSON: a function cannot be written down, only named. */
export type MatcherRecord =
  | { glob: string }
  | { regexp: string; flags: string }
  | { function: string };

/**
 * `build-record.json`, beside manifest.json: where the built pages are and the options
 * that chose their links, so `explain` can tell after the build, page by page, why a
 * link is or is not a pair. A few hundred bytes, written once per build.
 */
export interface BuildRecord {
  version: 1;
  generatedAt: string;
  /** The output directory, relative to the state directory (absolute when elsewhere on another drive). */
  outputDir: string;
  site: string;
  contentSelector: string[];
  include: MatcherRecord[];
  exclude: MatcherRecord[];
  excludeLinks: MatcherRecord[];
  includeSameSite: boolean;
}

function recordMatcher(matcher: UrlMatcher): MatcherRecord {
  if (typeof matcher === "string") return { glob: matcher };
  if (matcher instanceof RegExp) return { regexp: matcher.source, flags: matcher.flags };
  return { function: matcher.name || "anonymous" };
}

export function buildRecordOf(
  options: ResolvedOptions,
  outputDir: string,
  generatedAt = new Date(),
): BuildRecord {
  const fromState = relative(resolve(options.stateDir), resolve(outputDir));
  return {
    version: 1,
    generatedAt: generatedAt.toISOString(),
    outputDir: isAbsolute(fromState) ? fromState : fromState || ".",
    site: options.site.href,
    contentSelector: [...options.contentSelector],
    include: options.include.map(recordMatcher),
    exclude: options.exclude.map(recordMatcher),
    excludeLinks: options.excludeLinks.map(recordMatcher),
    includeSameSite: options.includeSameSite,
  };
}

/** Writes `build-record.json` into the state directory (not flushed: the next build redoes it). */
export async function writeBuildRecord(
  options: ResolvedOptions,
  outputDir: string,
  generatedAt?: Date,
): Promise<void> {
  await mkdir(options.stateDir, { recursive: true });
  await writeFileAtomic(
    join(options.stateDir, BUILD_RECORD_FILE),
    formatJson(buildRecordOf(options, outputDir, generatedAt)),
    BUILD_FILE_WRITE,
  );
}

/** The record in `stateDir`, validated; undefined when no build wrote one. */
export function readBuildRecord(stateDir: string): Promise<BuildRecord | undefined> {
  return readJsonFile<BuildRecord>(join(stateDir, BUILD_RECORD_FILE), "build-record");
}

/** Options as the build had them, back from the record, and what could not be restored. */
export interface RecordedOptions {
  options: ResolvedOptions;
  /** The output directory, resolved against the state directory. */
  outputDir: string;
  /** Names of predicate matchers in `excludeLinks`: explain cannot run them again. */
  unknownExcludes: string[];
  /** True when `include` or `exclude` held a predicate (then every page is treated as enabled by it). */
  unknownPageMatchers: boolean;
}

function restoreMatcher(record: MatcherRecord): UrlMatcher | undefined {
  if ("glob" in record) return record.glob;
  if ("regexp" in record) return new RegExp(record.regexp, record.flags);
  return undefined;
}

function restoreList(records: readonly MatcherRecord[]): {
  matchers: UrlMatcher[];
  functions: string[];
} {
  const matchers: UrlMatcher[] = [];
  const functions: string[] = [];
  for (const record of records) {
    const matcher = restoreMatcher(record);
    if (matcher === undefined) functions.push((record as { function: string }).function);
    else matchers.push(matcher);
  }
  return { matchers, functions };
}

export function restoreOptions(record: BuildRecord, stateDir: string): RecordedOptions {
  const include = restoreList(record.include);
  const exclude = restoreList(record.exclude);
  const excludeLinks = restoreList(record.excludeLinks);
  return {
    options: {
      site: new URL(record.site),
      // Not needed to explain links; the manifest names the endpoint.
      endpoint: null,
      webmentionEndpoint: null,
      endpointIsDefault: false,
      contentSelector: record.contentSelector,
      include: include.matchers,
      exclude: exclude.matchers,
      excludeLinks: excludeLinks.matchers,
      includeSameSite: record.includeSameSite,
      stateDir,
    },
    outputDir: resolve(stateDir, record.outputDir),
    unknownExcludes: excludeLinks.functions,
    unknownPageMatchers: include.functions.length + exclude.functions.length > 0,
  };
}
