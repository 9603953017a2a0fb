import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { formatJson, readJsonFile, writeFileAtomic } from "../files/json-file.ts";
import type { Manifest, Outbox } from "./types.ts";

export const MANIFEST_FILE = "manifest.json";
export const OUTBOX_FILE = "outbox.json";

/** The manifest in `stateDir`, validated; undefined when there is none yet. */
export function readManifest(stateDir: string): Promise<Manifest | undefined> {
  return readJsonFile<Manifest>(join(stateDir, MANIFEST_FILE), "manifest");
}

/** The outbox in `stateDir`, validated; undefined when there is none yet. */
export function readOutbox(stateDir: string): Promise<Outbox | undefined> {
  return readJsonFile<Outbox>(join(stateDir, OUTBOX_FILE), "outbox");
}

// Writers trust their input: it comes from buildManifest/diffManifests, whose output the
// tests check against the schemas; validating 100,000s of links again on every build
// would cost more than the build step itself.
//
// Both files are atomic (a reader sees the old file or the new one) but not flushed to
// disk: like the built pages, the next build recreates them, and flushing a manifest
// of 190,000 links took 70-100 ms in an ad-hoc timing here. The sender's state, which
// records pings that cannot be taken back, is flushed (see send/state-store.ts).
export const BUILD_FILE_WRITE = { durable: false } as const;

export async function writeManifest(stateDir: string, manifest: Manifest): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(join(stateDir, MANIFEST_FILE), formatJson(manifest), BUILD_FILE_WRITE);
}

export async function writeOutbox(stateDir: string, outbox: Outbox): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(join(stateDir, OUTBOX_FILE), formatJson(outbox), BUILD_FILE_WRITE);
}
