import type { PairStatus, StateEntry } from "@static-pingback/core/send";

/** Today only Pingback; Webmention sending will add the second value. */
export type Protocol = "pingback" | "webmention";

/**
 * What happened to a pair in one run: a state status, or
 * `waiting` (a retry not due yet), `planned` (a dry run would send it),
 * `not-attempted` (the run was stopped first), or a build-time reason a link of the
 * content never became a pair (`excluded` by a pattern, `same-site`; see HeldLink).
 */
export type Outcome =
  | PairStatus
  | "waiting"
  | "planned"
  | "not-attempted"
  | "excluded"
  | "same-site";

export const OUTCOME_ORDER: readonly Outcome[] = [
  "sent",
  "already-registered",
  "rejected",
  "no-endpoint",
  "failed",
  "waiting",
  "baseline",
  "skipped",
  "excluded",
  "same-site",
  "planned",
  "not-attempted",
];

export interface SummaryPair {
  source: string;
  target: string;
  protocol: Protocol;
  outcome: Outcome;
  /** Why it was not sent (cleaned text, not yet escaped for any format); absent for sent pairs. */
  reason?: string;
  /** The discovered endpoint (from the network: cleaned, not escaped). */
  endpoint?: string;
  /** State's entry after the run, when there is one. */
  entry?: StateEntry;
}

/** A link of a page this build changed that is not a pair, and why (from `explain`). */
export interface HeldLink {
  source: string;
  /** The link, resolved. */
  target: string;
  outcome: "excluded" | "same-site";
  /** `excluded (pattern)`, `same-site` (cleaned, not escaped). */
  reason: string;
}

/** One run of `send` as the job summary tells it. */
export interface RunSummary {
  dryRun: boolean;
  firstRun: boolean;
  /** The run was stopped (Ctrl-C, job cancelled) before the plan was done. */
  stopped: boolean;
  /** The pairs this run attempted, recorded, held back or (dry run) planned. */
  pairs: SummaryPair[];
  /** Candidates that earlier runs had settled (not listed). */
  settledEarlier: number;
  /** Dry run only: pairs that a real run would record as baseline (not listed). */
  plannedBaseline: number;
  /** Content links of the pages this build added or changed that are not pairs, and why. */
  heldAtBuild: HeldLink[];
  /** Every pair in state by status, after the run. */
  totals: Partial<Record<PairStatus, number>>;
  stateChanged: boolean;
  /** Lines shown above the tables (the deploy check, the state source…). */
  notes: string[];
  /** Set when send did not complete: what went wrong, cleaned. */
  failure?: string;
}

export function countOutcomes(pairs: readonly SummaryPair[]): Map<Outcome, Map<Protocol, number>> {
  const counts = new Map<Outcome, Map<Protocol, number>>();
  for (const pair of pairs) {
    const row = counts.get(pair.outcome) ?? new Map<Protocol, number>();
    row.set(pair.protocol, (row.get(pair.protocol) ?? 0) + 1);
    counts.set(pair.outcome, row);
  }
  return counts;
}

export function countOf(summary: RunSummary, ...outcomes: Outcome[]): number {
  return summary.pairs.filter((pair) => outcomes.includes(pair.outcome)).length;
}
