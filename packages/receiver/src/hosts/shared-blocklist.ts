import { readFile } from "node:fs/promises";
import { hostPattern } from "./host-pattern.ts";

/** A shared list is at most this large, and this many hosts: it is someone else's file. */
export const SHARED_LIST_BYTES = 2 * 1024 * 1024;
export const SHARED_LIST_HOSTS = 100_000;

/**
 * Hosts of a shared blocklist: one host or `*.pattern` per line; `#` starts a comment,
 * blank lines and lines that are not host names are skipped (counted in `skipped`).
 */
export function parseBlocklist(text: string): { hosts: string[]; skipped: number } {
  const hosts = new Set<string>();
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    const entry = line.replace(/#.*/, "").trim();
    if (entry === "") continue;
    const host = hostPattern(entry);
    if (host === undefined) skipped++;
    else if (hosts.size < SHARED_LIST_HOSTS) hosts.add(host);
  }
  return { hosts: [...hosts], skipped };
}

/**
 * Reads a shared blocklist from a file or an http(s) URL, bounded in bytes and time.
 * The URL is the owner's choice, but its content is treated as untrusted text.
 */
export async function loadBlocklist(location: string): Promise<string[]> {
  let text: string;
  if (/^https?:\/\//i.test(location)) {
    const response = await fetch(location, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`blocklist ${location} answered HTTP ${response.status}`);
    }
    text = await readCapped(response);
  } else {
    const bytes = await readFile(location);
    if (bytes.byteLength > SHARED_LIST_BYTES) {
      throw new Error(`blocklist ${location} is larger than ${SHARED_LIST_BYTES} bytes`);
    }
    text = bytes.toString("utf8");
  }
  return parseBlocklist(text).hosts;
}

async function readCapped(response: Response): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    if (total > SHARED_LIST_BYTES)
      throw new Error(`blocklist larger than ${SHARED_LIST_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
