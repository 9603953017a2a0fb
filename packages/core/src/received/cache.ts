import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatJson, writeFileAtomic } from "../files/json-file.ts";

/** A fetched JF2 feed as kept on disk. The URL is stored without any token. */
export interface CachedFeed {
  version: 1;
  source: string;
  fetchedAt: string;
  feed: unknown;
}

/** Cache file for a source identity (a URL without secrets): a hash, so no secret can leak into names. */
export function cacheFile(cacheDir: string, identity: string): string {
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 32);
  return join(cacheDir, `received-${hash}.json`);
}

/** The cached copy, or undefined when absent or unreadable (a broken cache is no cache). */
export async function readCache(file: string): Promise<CachedFeed | undefined> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as CachedFeed;
    if (value?.version !== 1 || typeof value.fetchedAt !== "string") return undefined;
    if (Number.isNaN(Date.parse(value.fetchedAt))) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

export async function writeCache(file: string, cacheDir: string, entry: CachedFeed): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(file, formatJson(entry));
}
