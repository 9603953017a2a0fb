import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { linkOrCopyFileAtomic, writeFileAtomic } from "../files/json-file.ts";
import type { ResolvedOptions } from "../options/types.ts";
import { assembleBuild } from "./assemble-build.ts";
import type { ManifestPageInput } from "./build-manifest.ts";
import { BUILD_FILE_WRITE, MANIFEST_FILE, writeOutbox } from "./manifest-files.ts";
import type { PreparedPage } from "./prepared-page.ts";
import { loadPreviousManifest, type PreviousManifest } from "./previous-manifest.ts";
import type { Outbox } from "./types.ts";

/** File name of the manifest copy published with the site. */
export const PUBLISHED_MANIFEST_FILE = "pingback-manifest.json";

export interface FinishBuildInput {
  /** The build's pages; prepared ones (see preparePage) make this step quicker. */
  pages: Iterable<ManifestPageInput | PreparedPage>;
  options: Pick<ResolvedOptions, "site" | "endpoint" | "webmentionEndpoint" | "stateDir">;
  /** Path or URL of the manifest to diff against (default: the one in stateDir). */
  previousManifest?: string;
  /**
   * The previous manifest, already loaded (by loadPreviousManifest, say while the build
   * rendered); `previousManifest` is then not read.
   */
  previous?: PreviousManifest;
  /** Write outbox.json (default true; watch/serve runs turn it off). */
  writeOutbox?: boolean;
  /** Output directory to publish `pingback-manifest.json` into (omit to not publish). */
  publishDir?: string;
  generatedAt?: Date;
}

export interface FinishBuildResult {
  /** fileDigest of manifest.json as written: what the page cache names it by. */
  manifestDigest: string;
  outbox: Outbox;
  summary: BuildSummary;
  warnings: string[];
}

export interface BuildSummary {
  pages: number;
  enabled: number;
  links: number;
  added: number;
  removed: number;
  /** No previous manifest: every link is the baseline, not news (the outbox lists none). */
  firstBuild: boolean;
  /** Pages whose links come from outside an article or h-entry (linksOutsideArticle). */
  outsideArticle: number;
}

/**
 * The end of a build, the same for every adapter: build the manifest, diff it against
 * the previous one, then write manifest.json, outbox.json and the published copy.
 * Nothing is written when the previous manifest is unreadable (the error says why).
 */
export async function finishBuild(input: FinishBuildInput): Promise<FinishBuildResult> {
  const { options } = input;
  const inputPages = [...input.pages];
  const previous =
    input.previous ?? (await loadPreviousManifest(options.stateDir, input.previousManifest));
  try {
    return await writeBuild(input, inputPages, previous);
  } finally {
    // Pages kept from the previous manifest were read from its file until now.
    if (input.previous === undefined) previous.pages?.close();
  }
}

async function writeBuild(
  input: FinishBuildInput,
  inputPages: readonly (ManifestPageInput | PreparedPage)[],
  previous: PreviousManifest,
): Promise<FinishBuildResult> {
  const { options } = input;
  const { counts, manifestChunks, outbox } = assembleBuild(
    inputPages,
    previous.pages,
    options,
    input.generatedAt,
  );

  await mkdir(options.stateDir, { recursive: true });
  // The outbox first: should writing the manifest fail, the next build diffs against
  // the old one again and finds the same new links (the sender skips what it sent).
  if (input.writeOutbox ?? true) await writeOutbox(options.stateDir, outbox);
  // One pass over the chunks (entries may be read from files) writes and digests them;
  // the published copy is then linked to (or copied from) the file.
  const digest = createHash("sha1");
  const digested = {
    *[Symbol.iterator]() {
      for (const chunk of manifestChunks) {
        digest.update(chunk);
        yield chunk;
      }
    },
  };
  const manifestFile = join(options.stateDir, MANIFEST_FILE);
  await writeFileAtomic(manifestFile, digested, BUILD_FILE_WRITE);
  const manifestDigest = digest.digest("base64");
  if (input.publishDir !== undefined) {
    await mkdir(input.publishDir, { recursive: true });
    await linkOrCopyFileAtomic(manifestFile, join(input.publishDir, PUBLISHED_MANIFEST_FILE));
  }

  return {
    manifestDigest,
    outbox,
    summary: {
      ...counts,
      added: outbox.added.length,
      removed: outbox.removed.length,
      firstBuild: outbox.previousGeneratedAt === null,
      outsideArticle: new Set(
        inputPages.filter((page) => page.outsideArticle).map((page) => page.url),
      ).size,
    },
    warnings: previous.warnings,
  };
}

/**
 * The one log line adapters print at the end of a build; `unchanged` counts the pages
 * taken from the page cache.
 */
export function formatBuildSummary(
  result: Pick<FinishBuildResult, "summary"> & { unchanged?: number | undefined },
): string {
  const { pages, enabled, links, added, removed, firstBuild, outsideArticle } = result.summary;
  const cached = result.unchanged ? `; ${result.unchanged} taken from the page cache` : "";
  const outside = outsideArticle
    ? `; ${outsideArticle} ${outsideArticle === 1 ? "page" : "pages"} outside an article or h-entry contributed links (set the "include" option, e.g. "/blog/**", to send from posts only)`
    : "";
  const change = firstBuild
    ? "a first build: they are the baseline, not news"
    : `${added} added, ${removed} removed since the previous build`;
  return `${pages} pages (${enabled} taking part${cached}), ${links} outbound links, ${change}${outside}`;
}
