import { StaticPingbackError } from "../errors/static-pingback-error.ts";
import { PingbackFileError } from "../files/file-error.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";

/** Why `state` does not match the state schema, with the pointer made relative to the one item. */
function problemIn(state: unknown): string | undefined {
  try {
    assertMatchesSchema("state", state, "entry");
    return undefined;
  } catch (error) {
    if (!(error instanceof PingbackFileError)) throw error;
    const pointer = error.pointer.replace(/^\/(pairs|endpoints)\/0/, "");
    return `${pointer === "" ? "" : `${pointer}: `}${error.expected}`;
  }
}

/**
 * Why `entry` would not be a valid pair of state.json (the state schema's `pair`),
 * e.g. `/faultCode: expected value that must be integer`; undefined when it is one.
 */
export function stateEntryProblem(entry: unknown): string | undefined {
  return problemIn({ version: 2, pairs: [entry] });
}

/**
 * Why `line` would not be a valid endpoint record (the state schema's `endpoint`); in
 * the journal, `endpoint: null` forgets a target's endpoint, and is valid too.
 */
export function endpointLineProblem(line: unknown): string | undefined {
  const record =
    typeof line === "object" && line !== null && (line as { endpoint?: unknown }).endpoint === null
      ? { ...line, endpoint: "https://forgotten.invalid/" }
      : line;
  return problemIn({ version: 2, pairs: [], endpoints: [record] });
}

/** An entry the run was about to record that does not fit the state schema (a bug). */
export class InvalidStateEntryError extends StaticPingbackError {
  readonly code = "invalid-state-entry";
  constructor(source: string, target: string, problem: string) {
    super(`not recording an invalid state entry for ${source} -> ${target}: ${problem}`);
    this.name = "InvalidStateEntryError";
  }
}
