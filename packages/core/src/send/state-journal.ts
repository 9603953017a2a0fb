import { type FileHandle, open, readFile } from "node:fs/promises";
import { PingbackFileError } from "../files/file-error.ts";
import { canonicalEntry, type StateEntry } from "./state-types.ts";

/**
 * Reads a journal: one JSON entry per line, in the order recorded. A last line
 * without its newline is a write cut short by a crash and is ignored; any other
 * bad line makes the journal corrupt (reported, never overwritten).
 */
export async function readJournal(file: string): Promise<StateEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const lines = text.split("\n");
  lines.pop(); // "" after the final newline, or a torn last line
  return lines.map((line, index) => {
    try {
      const entry = JSON.parse(line) as StateEntry;
      if (typeof entry !== "object" || entry === null || typeof entry.source !== "string") {
        throw new Error("not a state entry");
      }
      return entry;
    } catch (error) {
      throw new PingbackFileError(
        file,
        `line ${index + 1}`,
        `is not a state entry (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  });
}

/**
 * Appends entries, batching those recorded while a write is under way into the
 * next single write. Each write is one append to the file: once it returns, the
 * entry survives the process being killed (it is in the kernel's hands).
 */
export class JournalWriter {
  private readonly handle: FileHandle;
  private queue: string[] = [];
  private flushing: Promise<void> | undefined;
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  private constructor(handle: FileHandle) {
    this.handle = handle;
  }

  static async open(file: string): Promise<JournalWriter> {
    return new JournalWriter(await open(file, "a", 0o644));
  }

  append(entry: StateEntry): Promise<void> {
    this.queue.push(`${JSON.stringify(canonicalEntry(entry))}\n`);
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) this.flushing = this.flush();
    return written;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const lines = this.queue.join("");
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        await this.handle.appendFile(lines, "utf8");
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }
}
