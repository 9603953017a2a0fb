import { randomBytes } from "node:crypto";
import { copyFile, type FileHandle, link, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PingbackFileError } from "./file-error.ts";
import { assertMatchesSchema, type SchemaName } from "./schema-validator.ts";

/**
 * Reads and validates a JSON file. Returns `undefined` when the file does not exist;
 * throws PingbackFileError when it is not JSON or does not match its schema.
 */
export async function readJsonFile<T>(file: string, schema: SchemaName): Promise<T | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return parseJsonBytes<T>(bytes, file, schema);
}

/**
 * A JSON file's bytes parsed (a byte order mark allowed) and checked against its schema;
 * throws PingbackFileError naming `file`. `trusted`: the bytes are known to be this
 * package's own output (their digest, say), so the check is skipped: on a large
 * manifest it costs more than parsing.
 */
export function parseJsonBytes<T>(
  bytes: Buffer,
  file: string,
  schema: SchemaName,
  trusted = false,
): T {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new PingbackFileError(file, "", `is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  return trusted ? (value as T) : assertMatchesSchema<T>(schema, value, file);
}

/** Pretty JSON with a trailing newline: the one serialisation every state file uses. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** How much of a file written in chunks is gathered for one write. */
const STAGING_BYTES = 1024 * 1024;

/**
 * Writes `text` (a string is written as UTF-8; chunks, one after the other, as they
 * come) to `file` atomically: a temporary file in the same directory is
 * written, flushed to disk and renamed over the target, so a reader (or a crash)
 * sees either the old file whole or the new file whole. `durable: false` skips the
 * flush: still never half a file for a reader, but not safe across power loss, which
 * suits build output that a rebuild recreates (flushing every page costs more than
 * processing it).
 */
export async function writeFileAtomic(
  file: string,
  text: string | Uint8Array | Iterable<Uint8Array>,
  { durable = true }: { durable?: boolean } = {},
): Promise<void> {
  const temp = tempBeside(file);
  const handle = await open(temp, "w", 0o644);
  try {
    if (typeof text === "string" || text instanceof Uint8Array) await handle.writeFile(text);
    else await writeChunks(handle, text);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes chunks as they come, copied into one staging buffer: a large file never exists
 * whole in memory, and a chunk need only hold until the next one is asked for (see
 * EntryFile.read).
 */
async function writeChunks(handle: FileHandle, chunks: Iterable<Uint8Array>): Promise<void> {
  const staging = Buffer.allocUnsafe(STAGING_BYTES);
  let used = 0;
  for (const chunk of chunks) {
    if (used + chunk.byteLength > staging.length) {
      await writeAll(handle, staging.subarray(0, used));
      used = 0;
    }
    if (chunk.byteLength > staging.length) await writeAll(handle, chunk);
    else {
      staging.set(chunk, used);
      used += chunk.byteLength;
    }
  }
  if (used > 0) await writeAll(handle, staging.subarray(0, used));
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.byteLength) {
    written += (await handle.write(bytes, written, bytes.byteLength - written)).bytesWritten;
  }
}

/** A new temporary name in the file's own directory (a rename there is atomic). */
function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Puts a copy of `from` at `to` atomically (a temporary name beside `to`, renamed over
 * it), not flushed: for build output, as `durable: false` above. Where it can, the copy
 * is a hard link, which writes no data (an 81 MB manifest's copy took 0.36 s at the end
 * of a 10,000-post build, timed ad hoc). Only for a `from` that is never changed in
 * place, as every file written by writeFileAtomic is (each write is a new file renamed
 * over the old, so the link keeps the data it was made with). Another file system, or
 * one without links, gets a real copy.
 */
export async function linkOrCopyFileAtomic(from: string, to: string): Promise<void> {
  const temp = tempBeside(to);
  try {
    try {
      await link(from, temp);
    } catch {
      await copyFile(from, temp);
    }
    await rename(temp, to);
    // A rename onto another link of the same file does nothing (POSIX): the temporary
    // name would stay, and be published with the site.
    await rm(temp, { force: true });
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Validates `value` against its schema, then writes it atomically as pretty JSON. */
export async function writeJsonFile(
  file: string,
  schema: SchemaName,
  value: unknown,
): Promise<void> {
  assertMatchesSchema(schema, value, file);
  await writeFileAtomic(file, formatJson(value));
}
