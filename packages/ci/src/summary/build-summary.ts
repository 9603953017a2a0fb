import { pairKey, type StateEntry } from "@static-pingback/core/send";
import type { SendRun } from "../run-send.ts";
import { cleanLine } from "./clean.ts";
import type { Outcome, Protocol, RunSummary, SummaryPair } from "./model.ts";
import { reasonFor } from "./reasons.ts";

function protocolOf(entry: { protocol?: string } | undefined): Protocol {
  return entry?.protocol === "webmention" ? "webmention" : "pingback";
}

function pairOf(
  source: string,
  target: string,
  outcome: Outcome,
  entry: (Partial<StateEntry> & { protocol?: string }) | undefined,
): SummaryPair {
  const pair: SummaryPair = { source, target, protocol: protocolOf(entry), outcome };
  const reason = reasonFor(outcome, entry);
  if (reason !== undefined) pair.reason = reason;
  if (entry?.endpoint) pair.endpoint = cleanLine(entry.endpoint, 300);
  if (entry?.status !== undefined) pair.entry = entry as StateEntry;
  return pair;
}

/**
 * The story of one `send` run, from the CLI's `--json` report and the state before
 * and after it: what was settled now, what waits for a retry, which pairs this run
 * recorded as baseline (state has them; the report only counts them).
 */
export function buildRunSummary(run: SendRun, notes: string[] = []): RunSummary {
  const { report } = run;
  const after = run.after.entries ?? new Map<string, StateEntry>();
  const summary: RunSummary = {
    dryRun: report?.dryRun ?? false,
    firstRun: report?.firstRun ?? false,
    stopped: report?.stopped ?? false,
    pairs: [],
    settledEarlier: report?.plan.settled ?? 0,
    plannedBaseline: 0,
    heldAtBuild: [],
    totals: report?.totals ?? {},
    stateChanged: run.stateChanged,
    notes: [...notes],
  };
  if (!report) {
    summary.failure = cleanLine(
      run.stderrTail || `static-pingback send exited with ${run.exitCode}`,
      2_000,
    );
    return summary;
  }

  const listed = new Set<string>();
  const add = (pair: SummaryPair) => {
    listed.add(pairKey(pair.source, pair.target));
    summary.pairs.push(pair);
  };
  for (const entry of report.results) add(pairOf(entry.source, entry.target, entry.status, entry));
  for (const waiting of report.plan.waiting) {
    const entry = after.get(pairKey(waiting.source, waiting.target));
    add(pairOf(waiting.source, waiting.target, "waiting", entry ?? { ...waiting }));
  }
  if (report.dryRun) {
    for (const { source, target } of report.plan.send) {
      add(pairOf(source, target, "planned", after.get(pairKey(source, target))));
    }
    summary.plannedBaseline = report.plan.baseline;
    return summary;
  }
  // Recorded as baseline by this run: in state now, as baseline, and not before.
  const before = run.before.entries;
  for (const [key, entry] of after) {
    if (entry.status === "baseline" && !before?.has(key) && !listed.has(key)) {
      add(pairOf(entry.source, entry.target, "baseline", entry));
    }
  }
  // Planned but never settled: the run was stopped before reaching them.
  for (const { source, target } of report.plan.send) {
    if (!listed.has(pairKey(source, target))) {
      add(pairOf(source, target, "not-attempted", after.get(pairKey(source, target))));
    }
  }
  return summary;
}
