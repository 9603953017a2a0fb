import { closeSync, mkdtempSync, openSync, readFile, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const readWhole = promisify(readFile);
/** How much one read takes in at least. */
const READ_BLOCK_BYTES = 64 * 1024;

/**
 * A page's manifest entry as UTF-8: in memory, or a range of a file. A large site's
 * entries (some 8 KB a post, 80 MB at 10,000 posts) stay on disk until the manifest is
 * written, instead of in the page worker's memory: the previous manifest's own bytes
 * for the pages that did not change, a temporary file for the others.
 */
export type EntryBytes = Uint8Array | FileRange;

export interface FileRange {
  readonly file: EntryFile;
  readonly start: number;
  readonly length: number;
}

/** The entry's bytes, read now when they are in a file (then valid until that file's next read). */
export function entryData(entry: EntryBytes): Uint8Array {
  return entry instanceof Uint8Array ? entry : entry.file.read(entry.start, entry.length);
}

/** The entry as text. */
export function entryText(entry: EntryBytes): string {
  const bytes = entryData(entry);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/**
 * An open file that entries are read from by range: an existing file (the previous
 * manifest), or a temporary one they are appended to. Synchronous: it serves the page
 * worker, whose thread does nothing else, and a read of one entry is a few microseconds.
 * `close` must be called (a temporary file is removed then).
 */
export class EntryFile {
  readonly #fd: number;
  /** A temporary directory still to remove on close (see `temporary`). */
  readonly #temporaryDir: string | undefined;
  #size = 0;
  #closed = false;
  /** The last block read, reused (bytes are only ever appended, so it stays true). */
  #block: Buffer = Buffer.allocUnsafe(READ_BLOCK_BYTES);
  #blockStart = 0;
  #blockLength = 0;

  private constructor(fd: number, temporaryDir?: string) {
    this.#fd = fd;
    this.#temporaryDir = temporaryDir;
  }

  /** Opens `path` to read ranges of it. */
  static open(path: string): EntryFile {
    return new EntryFile(openSync(path, "r"));
  }

  /**
   * A new empty file in the system's temporary directory. Where the system allows it
   * (not Windows) it is unlinked at once, so nothing is left behind even when the
   * thread is terminated; otherwise it is removed on close.
   */
  static temporary(): EntryFile {
    const dir = mkdtempSync(join(tmpdir(), "static-pingback-entries-"));
    let fd: number;
    try {
      fd = openSync(join(dir, "entries"), "w+", 0o600);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    try {
      rmSync(dir, { recursive: true });
      return new EntryFile(fd);
    } catch {
      return new EntryFile(fd, dir);
    }
  }

  /** Adds `bytes` at the end of a temporary file; answers where they are. */
  append(bytes: Uint8Array): FileRange {
    let written = 0;
    while (written < bytes.byteLength) {
      written += writeSync(
        this.#fd,
        bytes,
        written,
        bytes.byteLength - written,
        this.#size + written,
      );
    }
    const range = { file: this, start: this.#size, length: bytes.byteLength };
    this.#size += bytes.byteLength;
    return range;
  }

  /** The whole file, from the open file itself (not its path, which may be replaced). */
  readAll(): Promise<Buffer> {
    return readWhole(this.#fd);
  }

  /**
   * The bytes in [start, start + length), as a view that holds only until the next
   * read of this file: use it (or copy it) at once. Read a block at a time into one
   * buffer: a manifest is written in page order, which is mostly the order of both
   * files, so one read serves several entries, and reading 80 MB of entries leaves no
   * 80 MB of spent buffers for the garbage collector.
   */
  read(start: number, length: number): Buffer {
    if (this.#closed) throw new Error("EntryFile: read after close");
    const offset = start - this.#blockStart;
    if (offset >= 0 && offset + length <= this.#blockLength) {
      return this.#block.subarray(offset, offset + length);
    }
    if (this.#block.length < length) this.#block = Buffer.allocUnsafe(length);
    this.#blockStart = start;
    this.#blockLength = this.#readInto(start);
    if (this.#blockLength < length) {
      this.#blockLength = 0;
      throw new Error(`EntryFile: the file ends before byte ${start + length}`);
    }
    return this.#block.subarray(0, length);
  }

  /** Fills the block from `start`; answers how much the file had (less only at its end). */
  #readInto(start: number): number {
    const block = this.#block;
    let read = 0;
    while (read < block.length) {
      const got = readSync(this.#fd, block, read, block.length - read, start + read);
      if (got === 0) break;
      read += got;
    }
    return read;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
    if (this.#temporaryDir !== undefined) {
      rmSync(this.#temporaryDir, { recursive: true, force: true });
    }
  }
}
