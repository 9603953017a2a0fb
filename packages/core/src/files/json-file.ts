import { randomBytes } from "node:crypto";
import { copyFile, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PingbackFileError } from "./file-error.ts";
import { assertMatchesSchema, type SchemaName } from "./schema-validator.ts";

/**
 * Reads and validates a JSON file. Returns `undefined` when the file does not exist;
 * throws PingbackFileError when it is not JSON or does not match its schema.
 */
export async function readJsonFile<T>(file: string, schema: SchemaName): Promise<T | undefined> {
  return (await readJsonFileBytes<T>(file, schema))?.value;
}

/**
 * readJsonFile, with the file's bytes. When `trusted(bytes)` says the file is one this
 * package wrote (its digest, say), the schema check is skipped: on a large manifest it
 * costs more than parsing.
 */
export async function readJsonFileBytes<T>(
  file: string,
  schema: SchemaName,
  trusted?: (bytes: Buffer) => boolean,
): Promise<{ value: T; bytes: Buffer; trusted: boolean } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new PingbackFileError(file, "", `is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (trusted?.(bytes)) return { value: value as T, bytes, trusted: true };
  return { value: assertMatchesSchema<T>(schema, value, file), bytes, trusted: false };
}

/** Pretty JSON with a trailing newline: the one serialisation every state file uses. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Buffers per writev call (the system's limit on one call is commonly 1,024). */
const WRITEV_CHUNKS = 1024;
/** Bytes gathered for one writev call at most, so chunks read lazily are not all held. */
const WRITEV_BYTES = 4 * 1024 * 1024;

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
    else {
      // Chunks are written as they come: a large file never exists whole in memory.
      let group: Uint8Array[] = [];
      let bytes = 0;
      for (const chunk of text) {
        group.push(chunk);
        bytes += chunk.byteLength;
        if (group.length === WRITEV_CHUNKS || bytes >= WRITEV_BYTES) {
          await handle.writev(group);
          group = [];
          bytes = 0;
        }
      }
      if (group.length > 0) await handle.writev(group);
    }
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

/** A new temporary name in the file's own directory (a rename there is atomic). */
function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Copies `from` to `to` atomically (a temporary copy beside `to`, renamed over it), not
 * flushed: for build output, as `durable: false` above.
 */
export async function copyFileAtomic(from: string, to: string): Promise<void> {
  const temp = tempBeside(to);
  try {
    await copyFile(from, temp);
    await rename(temp, to);
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
