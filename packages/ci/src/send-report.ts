import { StaticPingbackError } from "@static-pingback/core";
import type { PairStatus, StateEntry } from "@static-pingback/core/send";

/**
 * The report `static-pingback send --json` prints (see `jsonReport` in the CLI's
 * send command and the README): the only contract this package reads from a run.
 */
export interface SendJsonReport {
  dir: string;
  dryRun: boolean;
  firstRun: boolean;
  stopped: boolean;
  counts: Record<PairStatus, number>;
  totals: Record<PairStatus, number>;
  transientRemaining: number;
  plan: {
    candidates: number;
    send: { source: string; target: string }[];
    baseline: number;
    waiting: { source: string; target: string; nextAttemptAt?: string }[];
    settled: number;
  };
  /** The state entries this run settled. A later protocol may add `protocol`. */
  results: (StateEntry & { protocol?: string })[];
}

export class SendReportError extends StaticPingbackError {
  readonly code = "ERR_SEND_REPORT";
  constructor(problem: string) {
    super(`static-pingback send --json printed an unexpected report: ${problem}`);
    this.name = "SendReportError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the CLI's stdout; checks the fields the summary relies on, not every detail. */
export function parseSendReport(stdout: string): SendJsonReport {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (error) {
    throw new SendReportError(`not JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new SendReportError("not an object");
  for (const key of ["counts", "totals", "plan"]) {
    if (!isRecord(value[key])) throw new SendReportError(`"${key}" is not an object`);
  }
  if (!Array.isArray(value.results)) throw new SendReportError(`"results" is not an array`);
  const plan = value.plan as Record<string, unknown>;
  if (!Array.isArray(plan.send) || !Array.isArray(plan.waiting)) {
    throw new SendReportError(`"plan.send" or "plan.waiting" is not an array`);
  }
  return value as unknown as SendJsonReport;
}
