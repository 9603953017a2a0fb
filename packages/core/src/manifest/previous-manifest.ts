import { join } from "node:path";
import { PingbackFileError } from "../files/file-error.ts";
import { parseJsonBytes } from "../files/json-file.ts";
import { releaseBuffer } from "../files/release-buffer.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";
import { fetchOwnJson, HttpStatusError, InvalidJsonError } from "../net/fetch-own-json.ts";
import { EntryFile } from "./entry-file.ts";
import { MANIFEST_FILE } from "./manifest-files.ts";
import { indexManifestBytes, type PreviousPages, pagesOfManifest } from "./previous-pages.ts";
import type { Manifest } from "./types.ts";

/** Largest deployed manifest we accept over HTTP. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export interface PreviousManifest {
  /** Its pages (see previous-pages.ts); undefined: there is none (a first build). */
  pages: PreviousPages | undefined;
  /** Where it came from, for the log line. */
  from: string;
  warnings: string[];
  /**
   * It is the manifest in the state directory, and `trusted` recognised its bytes as
   * this package's own output (see loadPreviousManifest).
   */
  trusted: boolean;
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
 * A manifest file's pages: indexed when it is in this package's layout, else parsed
 * whole and checked (`trusted` skips the checks: see loadPreviousManifest). With
 * `source`, the file open, entries are read from it when needed (the caller closes it
 * when the answer is not indexed pages: see `close`).
 */
export function pagesFromBytes(
  bytes: Buffer,
  file: string,
  trusted = false,
  source?: EntryFile,
): PreviousPages {
  const indexed = indexManifestBytes(bytes, file, trusted, source);
  if (indexed) return indexed;
  source?.close();
  return pagesOfManifest(parseJsonBytes<Manifest>(bytes, file, "manifest", trusted));
}

/**
 * The file's bytes and the file open, for entries to be read from it later rather than
 * kept in memory; undefined when it does not exist.
 */
async function openIfExists(
  file: string,
): Promise<{ bytes: Buffer; source: EntryFile } | undefined> {
  let source: EntryFile;
  try {
    source = EntryFile.open(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return { bytes: await source.readAll(), source };
  } catch (error) {
    source.close();
    throw error;
  }
}

/** The pages of the file `opened`, which is closed when they are not read from it. */
function pagesOfFile(
  opened: { bytes: Buffer; source: EntryFile },
  file: string,
  trusted: boolean,
): PreviousPages {
  try {
    return pagesFromBytes(opened.bytes, file, trusted, opened.source);
  } catch (error) {
    opened.source.close();
    throw error;
  } finally {
    // Entries are read from the file from now on (or were parsed): the 80 MB of a
    // 10,000-post manifest go now, not at the page worker's next full collection, which
    // a build whose pages all come from the page cache may not have before it ends.
    releaseBuffer(opened.bytes);
  }
}

/**
 * The manifest to diff against: `source` (a path or an http(s) URL of the deployed
 * copy) when given, else the manifest in the state directory. A deployed copy that
 * cannot be fetched falls back to the local one with a warning (the site may not be
 * deployed yet); a local file that is invalid is an error, so it is never overwritten.
 * `trusted` may recognise the local file's bytes as written by this package (the page
 * cache keeps their digest), which skips its schema checks. Nothing is checked that
 * the build does not read (see previous-pages.ts).
 */
export async function loadPreviousManifest(
  stateDir: string,
  source?: string,
  { trusted }: { trusted?: (bytes: Buffer) => boolean } = {},
): Promise<PreviousManifest> {
  const warnings: string[] = [];
  if (source && /^https?:\/\//i.test(source)) {
    try {
      const manifest = await fetchManifest(source);
      return {
        pages: manifest && pagesOfManifest(manifest),
        from: source,
        warnings,
        trusted: false,
      };
    } catch (error) {
      if (error instanceof PingbackFileError) throw error;
      warnings.push(
        `could not fetch the previous manifest from ${source} (${(error as Error).message}); diffing against the local one`,
      );
    }
  } else if (source) {
    const opened = await openIfExists(source);
    if (opened) {
      return { pages: pagesOfFile(opened, source, false), from: source, warnings, trusted: false };
    }
    warnings.push(`previous manifest ${source} does not exist; diffing against the local one`);
  }
  const file = join(stateDir, MANIFEST_FILE);
  const opened = await openIfExists(file);
  const isTrusted = opened !== undefined && trusted?.(opened.bytes) === true;
  return {
    pages: opened && pagesOfFile(opened, file, isTrusted),
    from: `${stateDir}/manifest.json`,
    warnings,
    trusted: isTrusted,
  };
}
