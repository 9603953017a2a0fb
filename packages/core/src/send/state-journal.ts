import { type FileHandle, open, readFile } from "node:fs/promises";
import type { Protocol } from "./discover.ts";
import { endpointLineProblem, stateEntryProblem } from "./state-entry-check.ts";
import { canonicalEntry, type StateEntry } from "./state-types.ts";

/** A journal line that is not a state entry: skipped on load, kept for the user. */
export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  reason: string;
  text: string;
}

/** A journal line about a target's endpoint: found (a URL) or forgotten (null). */
export interface EndpointLine {
  target: string;
  endpoint: string | null;
  protocol?: Protocol;
  discoveredAt: string;
}

export interface JournalContents {
  entries: StateEntry[];
  endpoints: EndpointLine[];
  skipped: SkippedLine[];
}

/** A line as a state entry or an endpoint line, or why it is neither. */
function parseLine(line: string): StateEntry | EndpointLine | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  // Pairs have a source; endpoint lines do not.
  const isPair = typeof value !== "object" || value === null || "source" in value;
  const problem = isPair ? stateEntryProblem(value) : endpointLineProblem(value);
  return problem ?? (value as StateEntry | EndpointLine);
}

/**
 * Reads a journal: one JSON line per recorded pair or endpoint, in the order
 * recorded. A last line without its newline is a write cut short by a crash and is
 * ignored; any other line that is neither is skipped and returned in `skipped`, so
 * one odd line never makes the whole state unreadable.
 */
export async function readJournal(file: string): Promise<JournalContents> {
  const contents: JournalContents = { entries: [], endpoints: [], skipped: [] };
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return contents;
    throw error;
  }
  const lines = text.split("\n");
  lines.pop(); // "" after the final newline, or a torn last line
  lines.forEach((line, index) => {
    const parsed = parseLine(line);
    if (typeof parsed === "string") {
      contents.skipped.push({ line: index + 1, reason: parsed, text: line });
    } else if ("source" in parsed) contents.entries.push(parsed);
    else contents.endpoints.push(parsed);
  });
  return contents;
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

  append(line: StateEntry | EndpointLine): Promise<void> {
    const value = "source" in line ? canonicalEntry(line) : line;
    this.queue.push(`${JSON.stringify(value)}\n`);
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
