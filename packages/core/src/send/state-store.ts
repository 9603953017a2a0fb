import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { formatJson, readJsonFile, writeFileAtomic } from "../files/json-file.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";
import { acquireLock } from "./state-lock.ts";
import {
  LOCK_FILE,
  pairKey,
  STATE_FILE,
  type StateEntry,
  type StateFile,
  toStateFile,
} from "./state-types.ts";

/** Reads `state.json` without locking (for `status`); undefined when there is none. */
export async function readState(dir: string): Promise<StateFile | undefined> {
  return readJsonFile<StateFile>(join(dir, STATE_FILE), "state");
}

/**
 * The state of one run: loaded under the lock, updated pair by pair, written
 * atomically after each change. Writes are serialised and coalesced: changes made
 * while a write is in progress go out together in the next one, and `save()`
 * resolves once the change it follows is on disk.
 */
export class StateStore {
  readonly file: string;
  readonly existed: boolean;
  private readonly entries: Map<string, StateEntry>;
  private readonly release: () => Promise<void>;
  private writing: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private closed = false;

  private constructor(
    file: string,
    existed: boolean,
    entries: Map<string, StateEntry>,
    release: () => Promise<void>,
  ) {
    this.file = file;
    this.existed = existed;
    this.entries = entries;
    this.release = release;
  }

  /**
   * Locks the directory and loads its state. A corrupt or foreign state file throws
   * PingbackFileError (and the lock is released): it is never overwritten.
   */
  static async open(dir: string): Promise<StateStore> {
    await mkdir(dir, { recursive: true });
    const release = await acquireLock(join(dir, LOCK_FILE));
    try {
      const file = join(dir, STATE_FILE);
      const state = await readJsonFile<StateFile>(file, "state");
      const entries = new Map<string, StateEntry>();
      for (const entry of state?.pairs ?? [])
        entries.set(pairKey(entry.source, entry.target), entry);
      return new StateStore(file, state !== undefined, entries, release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  get(source: string, target: string): StateEntry | undefined {
    return this.entries.get(pairKey(source, target));
  }

  all(): StateEntry[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records an entry in memory; call `save()` to get it on disk. */
  set(entry: StateEntry): void {
    if (this.closed) throw new Error("state store is closed");
    this.entries.set(pairKey(entry.source, entry.target), entry);
  }

  /** Writes the current state; resolves when everything set before the call is on disk. */
  save(): Promise<void> {
    if (this.pending) return this.pending;
    if (!this.writing) {
      this.writing = this.writeNow().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    const after = this.writing
      .catch(() => {})
      .then(() => {
        this.pending = undefined;
        return this.save();
      });
    this.pending = after;
    return after;
  }

  private async writeNow(): Promise<void> {
    const state = toStateFile(this.entries.values());
    assertMatchesSchema("state", state, this.file);
    await writeFileAtomic(this.file, formatJson(state));
  }

  /** Final write, then releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.save();
    } finally {
      this.closed = true;
      await this.release();
    }
  }

  /** Releases the lock without writing (dry runs, errors before any change). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }
}
