import { readFile } from "node:fs/promises";
import { PingbackFileError } from "../files/file-error.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";
import { fetchOwnJson, HttpStatusError, InvalidJsonError } from "../net/fetch-own-json.ts";
import { readManifest, readManifestBytes } from "./manifest-files.ts";
import type { Manifest } from "./types.ts";

/** Largest deployed manifest we accept over HTTP. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export interface PreviousManifest {
  manifest: Manifest | undefined;
  /** Where it came from, for the log line. */
  from: string;
  warnings: string[];
  /**
   * When it is the manifest in the state directory: its bytes, and whether `trusted`
   * recognised them as this package's own output (see loadPreviousManifest).
   */
  local?: { bytes: Buffer; trusted: boolean } | undefined;
}

async function fetchManifest(url: string): Promise<Manifest | undefined> {
  // The user's own deployed site: fetched as the owner's JSON (see fetchOwnJson).
  let body: unknown;
  try {
    ({ body } = await fetchOwnJson(url, {
      timeoutMs: FETCH_TIMEOUT_MS,
      maxBytes: MAX_MANIFEST_BYTES,
      accept: "application/json",
      purpose: "previous manifest",
    }));
  } catch (error) {
    // Not deployed yet: there is no previous manifest.
    if (error instanceof HttpStatusError && (error.status === 404 || error.status === 410)) {
      return undefined;
    }
    if (error instanceof InvalidJsonError) {
      throw new PingbackFileError(url, "", `is not valid JSON (${error.reason})`);
    }
    throw error;
  }
  return assertMatchesSchema<Manifest>("manifest", body, url);
}

/**
 * The manifest to diff against: `source` (a path or an http(s) URL of the deployed
 * copy) when given, else the manifest in the state directory. A deployed copy that
 * cannot be fetched falls back to the local one with a warning (the site may not be
 * deployed yet); a local file that is invalid is an error, so it is never overwritten.
 * `trusted` may recognise the local file's bytes as written by this package (the page
 * cache keeps their digest), which skips its schema check.
 */
export async function loadPreviousManifest(
  stateDir: string,
  source?: string,
  { trusted }: { trusted?: (bytes: Buffer) => boolean } = {},
): Promise<PreviousManifest> {
  const warnings: string[] = [];
  if (source && /^https?:\/\//i.test(source)) {
    try {
      return { manifest: await fetchManifest(source), from: source, warnings };
    } catch (error) {
      if (error instanceof PingbackFileError) throw error;
      warnings.push(
        `could not fetch the previous manifest from ${source} (${(error as Error).message}); diffing against the local one`,
      );
    }
  } else if (source) {
    let text: string;
    try {
      text = await readFile(source, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      warnings.push(`previous manifest ${source} does not exist; diffing against the local one`);
      return {
        manifest: await readManifest(stateDir),
        from: `${stateDir}/manifest.json`,
        warnings,
      };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new PingbackFileError(source, "", `is not valid JSON (${(error as Error).message})`);
    }
    return {
      manifest: assertMatchesSchema<Manifest>("manifest", value, source),
      from: source,
      warnings,
    };
  }
  const local = await readManifestBytes(stateDir, trusted);
  return {
    manifest: local?.value,
    from: `${stateDir}/manifest.json`,
    warnings,
    local: local && { bytes: local.bytes, trusted: local.trusted },
  };
}
