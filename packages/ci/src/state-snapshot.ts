import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  JOURNAL_FILE,
  pairKey,
  readState,
  STATE_FILE,
  type StateEntry,
} from "@static-pingback/core/send";

/** What the state directory held at one moment: its bytes, to tell whether a run changed it. */
export interface StateSnapshot {
  state: Buffer | undefined;
  journal: Buffer | undefined;
  /** Entries by pairKey (journal folded in); undefined when unreadable or absent. */
  entries: Map<string, StateEntry> | undefined;
  /** Why the entries could not be read (a malformed file: `send` reports it too). */
  problem?: string;
}

async function bytesOf(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function snapshotState(dir: string): Promise<StateSnapshot> {
  const [state, journal] = await Promise.all([
    bytesOf(join(dir, STATE_FILE)),
    bytesOf(join(dir, JOURNAL_FILE)),
  ]);
  try {
    const file = await readState(dir);
    const entries = file
      ? new Map(file.pairs.map((entry) => [pairKey(entry.source, entry.target), entry]))
      : undefined;
    return { state, journal, entries };
  } catch (error) {
    return { state, journal, entries: undefined, problem: (error as Error).message };
  }
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

/** Whether what must persist (state.json, and a journal a killed run left) differs. */
export function stateChanged(before: StateSnapshot, after: StateSnapshot): boolean {
  return !sameBytes(before.state, after.state) || !sameBytes(before.journal, after.journal);
}
