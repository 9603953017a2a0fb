import { PingbackFileError } from "../files/file-error.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";

/**
 * Why `entry` would not be a valid pair of state.json (the state schema's `pair`),
 * e.g. `/faultCode: expected value that must be integer`; undefined when it is one.
 */
export function stateEntryProblem(entry: unknown): string | undefined {
  try {
    assertMatchesSchema("state", { version: 1, pairs: [entry] }, "entry");
    return undefined;
  } catch (error) {
    if (!(error instanceof PingbackFileError)) throw error;
    const pointer = error.pointer.replace(/^\/pairs\/0/, "");
    return `${pointer === "" ? "" : `${pointer}: `}${error.expected}`;
  }
}

/** An entry the run was about to record that does not fit the state schema (a bug). */
export class InvalidStateEntryError extends Error {
  constructor(source: string, target: string, problem: string) {
    super(`not recording an invalid state entry for ${source} -> ${target}: ${problem}`);
    this.name = "InvalidStateEntryError";
  }
}
