import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../files/json-file.ts";
import { VERSION } from "../net/user-agent.ts";
import { BUILD_FILE_WRITE } from "./manifest-files.ts";
import { type PageCache, parsePageCache } from "./page-cache.ts";

export const PAGE_CACHE_FILE = "page-cache.json";

/** Where a page's result comes from: the code that processes it and resolves its options. */
const PROCESSING_CODE_DIRS = ["../page/", "../options/"];

let codeFingerprint: string | undefined;

/**
 * Core's version and a digest of its page-processing code (read once per thread, a few
 * milliseconds): a cache made by other code, even unreleased code under the same version
 * number, never applies.
 */
export function processingCodeFingerprint(): string {
  if (codeFingerprint === undefined) {
    const digest = createHash("sha1").update(VERSION);
    for (const dir of PROCESSING_CODE_DIRS) {
      const url = new URL(dir, import.meta.url);
      // With subdirectories (page/fast/, page/reference/), by path.
      const names = readdirSync(url, { recursive: true, encoding: "utf8" }).sort();
      for (const name of names) {
        if (/\.[jt]s$/.test(name)) digest.update(name).update(readFileSync(new URL(name, url)));
      }
    }
    codeFingerprint = digest.digest("base64");
  }
  return codeFingerprint;
}

/**
 * The page cache in `stateDir`. A missing file, or one another release wrote in another
 * format, is no cache; an unreadable or malformed one is no cache with a warning (it
 * only speeds builds up, and the next full build writes it anew).
 */
export async function readPageCache(
  stateDir: string,
): Promise<{ cache: PageCache | undefined; warning?: string }> {
  const file = join(stateDir, PAGE_CACHE_FILE);
  let problem: string;
  try {
    const parsed = parsePageCache(JSON.parse(await readFile(file, "utf8")));
    if (typeof parsed !== "string") return { cache: parsed };
    problem = parsed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { cache: undefined };
    problem = `could not be read (${(error as Error).message})`;
  }
  return {
    cache: undefined,
    warning: `page cache ${file} ${problem}: ignored, every page is processed (it is written anew at the end of this build)`,
  };
}

export function writePageCache(stateDir: string, cache: PageCache): Promise<void> {
  return writeFileAtomic(join(stateDir, PAGE_CACHE_FILE), JSON.stringify(cache), BUILD_FILE_WRITE);
}
