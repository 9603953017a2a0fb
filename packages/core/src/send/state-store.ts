import { appendFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { formatJson, readJsonFile, writeFileAtomic } from "../files/json-file.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";
import {
  endpointLineProblem,
  InvalidStateEntryError,
  stateEntryProblem,
} from "./state-entry-check.ts";
import { JournalWriter, readJournal, type SkippedLine } from "./state-journal.ts";
import { acquireLock } from "./state-lock.ts";
import {
  type EndpointRecord,
  JOURNAL_FILE,
  LOCK_FILE,
  pairKey,
  SKIPPED_LINES_FILE,
  STATE_FILE,
  type StateEntry,
  type StateFile,
  toStateFile,
} from "./state-types.ts";

interface Loaded {
  entries: Map<string, StateEntry>;
  /** state.json existed. */
  existed: boolean;
  /** Entries replayed from a journal a crashed run left. */
  replayed: number;
  /** Journal lines that were not state entries. */
  skipped: SkippedLine[];
  /** Endpoints known per target. */
  endpoints: Map<string, EndpointRecord>;
}

/** state.json, then the journal replayed over it (the last line for a pair wins). */
async function load(dir: string): Promise<Loaded> {
  const file = join(dir, STATE_FILE);
  const state = await readJsonFile<StateFile>(file, "state");
  const entries = new Map<string, StateEntry>();
  for (const entry of state?.pairs ?? []) entries.set(pairKey(entry.source, entry.target), entry);
  const endpoints = new Map<string, EndpointRecord>();
  for (const record of state?.endpoints ?? []) endpoints.set(record.target, record);
  const journal = await readJournal(join(dir, JOURNAL_FILE));
  for (const entry of journal.entries) entries.set(pairKey(entry.source, entry.target), entry);
  for (const { target, endpoint, protocol, discoveredAt } of journal.endpoints) {
    if (endpoint === null) endpoints.delete(target);
    else
      endpoints.set(target, { target, endpoint, discoveredAt, ...(protocol ? { protocol } : {}) });
  }
  return {
    entries,
    existed: state !== undefined || journal.entries.length > 0,
    replayed: journal.entries.length + journal.endpoints.length,
    skipped: journal.skipped,
    endpoints,
  };
}

/** One warning per skipped journal line, saying where it was kept (if it was). */
function skippedWarnings(dir: string, skipped: readonly SkippedLine[], keptIn?: string): string[] {
  const kept = keptIn ? `; kept in ${keptIn}` : "";
  return skipped.map(
    (line) =>
      `${join(dir, JOURNAL_FILE)} line ${line.line} is not a state entry (${line.reason}): skipped${kept}`,
  );
}

export interface ReadStateOptions {
  /** Told about each journal line that was skipped. */
  onWarning?(message: string): void;
}

/**
 * Reads the state without locking (for `status` and dry runs), including what a
 * run in progress or a crashed run has journaled. Undefined when there is none.
 */
export async function readState(
  dir: string,
  options: ReadStateOptions = {},
): Promise<StateFile | undefined> {
  const loaded = await load(dir);
  for (const warning of skippedWarnings(dir, loaded.skipped)) options.onWarning?.(warning);
  return loaded.existed
    ? toStateFile(loaded.entries.values(), loaded.endpoints.values())
    : undefined;
}

export interface StateStoreOptions {
  /** How often state.json is rewritten from memory during a run. Default 1,000 ms. */
  snapshotIntervalMs?: number;
}

/**
 * The state of one run, under the directory's lock. Every recorded entry is
 * appended to `state.journal` at once (that is what makes it survive kill -9);
 * `state.json` is rewritten atomically (temp + fsync + rename) from memory every
 * second while entries change, and at the end, after which the journal is removed.
 * A crashed run's journal is replayed and folded into state.json by the next open.
 */
export class StateStore {
  readonly file: string;
  readonly existed: boolean;
  /** What loading the state skipped (bad journal lines), for the user. */
  readonly warnings: readonly string[];
  private readonly journalFile: string;
  private readonly entries: Map<string, StateEntry>;
  private readonly endpoints: Map<string, EndpointRecord>;
  private readonly release: () => Promise<void>;
  private readonly journal: JournalWriter;
  private readonly timer: NodeJS.Timeout;
  private dirty = false;
  private snapshotting: Promise<void> | undefined;
  /** No periodic snapshot before this time: keeps big states from hogging the run. */
  private nextPeriodicAt = 0;
  private closed = false;

  private constructor(
    dir: string,
    loaded: Loaded,
    release: () => Promise<void>,
    journal: JournalWriter,
    snapshotIntervalMs: number,
    warnings: readonly string[],
  ) {
    this.warnings = warnings;
    this.file = join(dir, STATE_FILE);
    this.journalFile = join(dir, JOURNAL_FILE);
    this.existed = loaded.existed;
    this.entries = loaded.entries;
    this.endpoints = loaded.endpoints;
    this.release = release;
    this.journal = journal;
    this.timer = setInterval(
      () => void this.periodicSnapshot().catch(() => {}),
      snapshotIntervalMs,
    );
    this.timer.unref();
  }

  /**
   * Locks the directory and loads its state. A corrupt or foreign state file (or
   * journal) throws PingbackFileError, the lock is released, and nothing is written.
   */
  static async open(dir: string, options: StateStoreOptions = {}): Promise<StateStore> {
    await mkdir(dir, { recursive: true });
    const release = await acquireLock(join(dir, LOCK_FILE));
    try {
      const loaded = await load(dir);
      let warnings: string[] = [];
      if (loaded.skipped.length > 0) {
        // Nothing is lost: the lines go aside, for the user to read or mend.
        const keptIn = join(dir, SKIPPED_LINES_FILE);
        await appendFile(keptIn, loaded.skipped.map((line) => `${line.text}\n`).join(""));
        warnings = skippedWarnings(dir, loaded.skipped, keptIn);
      }
      if (loaded.replayed > 0 || loaded.skipped.length > 0) {
        // Fold the crashed run's journal into state.json before starting a new one.
        if (loaded.existed || loaded.endpoints.size > 0) {
          await writeStateFile(join(dir, STATE_FILE), loaded.entries.values(), loaded.endpoints);
        }
        await rm(join(dir, JOURNAL_FILE), { force: true });
      }
      const journal = await JournalWriter.open(join(dir, JOURNAL_FILE));
      return new StateStore(
        dir,
        loaded,
        release,
        journal,
        options.snapshotIntervalMs ?? 1_000,
        warnings,
      );
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

  /** Records an entry; resolves once it is journaled (survives a kill from then on). */
  record(entry: StateEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error("state store is closed"));
    // A bad entry on disk would make every later run refuse the state: check it first.
    const problem = stateEntryProblem(entry);
    if (problem !== undefined) {
      return Promise.reject(new InvalidStateEntryError(entry.source, entry.target, problem));
    }
    this.entries.set(pairKey(entry.source, entry.target), entry);
    this.dirty = true;
    return this.journal.append(entry);
  }

  /** The endpoint an earlier discovery found for `target`, if one is kept. */
  endpointFor(target: string): EndpointRecord | undefined {
    return this.endpoints.get(target);
  }

  /** Keeps a discovered endpoint; resolves once it is journaled. */
  recordEndpoint(record: EndpointRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error("state store is closed"));
    const problem = endpointLineProblem(record);
    if (problem !== undefined) {
      return Promise.reject(new InvalidStateEntryError(record.target, record.endpoint, problem));
    }
    this.endpoints.set(record.target, { ...record });
    this.dirty = true;
    return this.journal.append(record);
  }

  /** Forgets `target`'s endpoint (it failed): the next attempt discovers it again. */
  forgetEndpoint(target: string, at: Date): Promise<void> {
    if (this.closed) return Promise.reject(new Error("state store is closed"));
    if (!this.endpoints.delete(target)) return Promise.resolve();
    this.dirty = true;
    return this.journal.append({ target, endpoint: null, discoveredAt: at.toISOString() });
  }

  /** Records many entries at once (the baseline of a first run). */
  async recordAll(entries: Iterable<StateEntry>): Promise<void> {
    for (const entry of entries) {
      this.entries.set(pairKey(entry.source, entry.target), entry);
      this.dirty = true;
    }
    await this.snapshot();
  }

  /**
   * The timer's snapshot: skipped while a previous one took long, so rewriting a
   * large state.json takes at most about a tenth of the run (the journal already
   * holds every outcome; the snapshot only keeps state.json current).
   */
  private async periodicSnapshot(): Promise<void> {
    const started = performance.now();
    if (started < this.nextPeriodicAt || this.snapshotting || !this.dirty) return;
    await this.snapshot();
    this.nextPeriodicAt = performance.now() + 9 * (performance.now() - started);
  }

  /** Rewrites state.json from memory if anything changed since the last time. */
  snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting.then(() => this.snapshot());
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    this.snapshotting = writeStateFile(this.file, this.entries.values(), this.endpoints)
      .catch((error: unknown) => {
        this.dirty = true;
        throw error;
      })
      .finally(() => {
        this.snapshotting = undefined;
      });
    return this.snapshotting;
  }

  /** Final state.json, journal removed, lock released. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.journal.close();
      await this.snapshot();
      await rm(this.journalFile, { force: true });
    } finally {
      await this.release();
    }
  }
}

async function writeStateFile(
  file: string,
  entries: Iterable<StateEntry>,
  endpoints: ReadonlyMap<string, EndpointRecord>,
): Promise<void> {
  const state = toStateFile(entries, endpoints.values());
  assertMatchesSchema("state", state, file);
  await writeFileAtomic(file, formatJson(state));
}
