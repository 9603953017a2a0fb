import { DEFAULT_STATE_DIR, StaticPingbackError } from "@static-pingback/core";
/** How state.json survives between runs of the action. */
export type StatePersistence = "cache" | "commit" | "none";

/** The action's inputs (see action.yml), checked. */
export interface ActionInputs {
  stateDir: string;
  siteUrl: string | undefined;
  manifestUrl: string | undefined;
  dryRun: boolean;
  strict: boolean;
  concurrency: number | undefined;
  state: StatePersistence;
  /** Bounded wait for the deployed manifest, in seconds; 0 checks once. */
  waitTimeoutSeconds: number;
  /** More `send` flags, split on whitespace. */
  args: string[];
  /** Branch that `state: commit` pushes to; default the branch of the run. */
  commitBranch: string | undefined;
}

export class ActionInputError extends StaticPingbackError {
  readonly code = "ERR_ACTION_INPUT";
  constructor(name: string, problem: string) {
    super(`input ${name}: ${problem}`);
    this.name = "ActionInputError";
  }
}

/**
 * An input as the runner passes it: `INPUT_` + the name in upper case with spaces as
 * underscores (hyphens kept). A composite step maps them by hand, where names with
 * underscores for hyphens are the safe spelling: both are read.
 */
export function readInput(env: NodeJS.ProcessEnv, name: string): string {
  const upper = name.toUpperCase().replace(/ /g, "_");
  return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, "_")}`] ?? "").trim();
}

function booleanInput(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = readInput(env, name).toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new ActionInputError(name, `expected true or false, got ${JSON.stringify(value)}`);
}

function integerInput(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const value = readInput(env, name);
  if (value === "") return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new ActionInputError(
      name,
      `expected a whole number >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

const PERSISTENCE: readonly StatePersistence[] = ["cache", "commit", "none"];

export function readActionInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const state = readInput(env, "state") || "cache";
  if (!(PERSISTENCE as readonly string[]).includes(state)) {
    throw new ActionInputError(
      "state",
      `expected cache, commit or none, got ${JSON.stringify(state)}`,
    );
  }
  const args = readInput(env, "args");
  return {
    stateDir: readInput(env, "state-dir") || DEFAULT_STATE_DIR,
    siteUrl: readInput(env, "site-url") || undefined,
    manifestUrl: readInput(env, "manifest-url") || undefined,
    dryRun: booleanInput(env, "dry-run"),
    strict: booleanInput(env, "strict"),
    concurrency: integerInput(env, "concurrency", 1),
    state: state as StatePersistence,
    waitTimeoutSeconds: integerInput(env, "wait-timeout", 0) ?? 600,
    args: args === "" ? [] : args.split(/\s+/),
    commitBranch: readInput(env, "commit-branch") || undefined,
  };
}
