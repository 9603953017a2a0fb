import type { LinkPair, Manifest, Outbox } from "../manifest/types.ts";
import { pairKey, type StateEntry } from "./state-types.ts";

export interface PlanInput {
  manifest: Manifest | undefined;
  outbox: Outbox | undefined;
  /** Entries of state.json, keyed by pairKey. */
  state: ReadonlyMap<string, StateEntry>;
  /** Whether state.json existed. */
  stateExisted: boolean;
  /** Also send baseline pairs and failed pairs not yet due. */
  all: boolean;
  now: Date;
}

export interface PlannedPair extends LinkPair {
  /** What state knew before this run. */
  previous: StateEntry | undefined;
  /** When this run planned the pair: its `firstSeenAt` if state did not know it. */
  seenAt?: string;
}

export interface SendPlan {
  /** No state and no previous manifest: existing links are history, not news. */
  firstRun: boolean;
  /** Pairs to ping now, sorted by source then target. */
  send: PlannedPair[];
  /** Pairs to record as `baseline` without sending. */
  baseline: LinkPair[];
  /** Failed pairs whose nextAttemptAt is still ahead. */
  waiting: StateEntry[];
  /** Candidates state has already settled. */
  settled: number;
  /** Distinct candidate pairs (manifest ∪ outbox.added). */
  candidates: number;
}

const SETTLED = new Set(["sent", "already-registered", "rejected", "no-endpoint", "skipped"]);

function compare(a: LinkPair, b: LinkPair): number {
  return a.source < b.source
    ? -1
    : a.source > b.source
      ? 1
      : a.target < b.target
        ? -1
        : a.target > b.target
          ? 1
          : 0;
}

/** Every pair of the manifest and the outbox's added pairs, deduplicated and sorted. */
export function candidatePairs(
  manifest: Manifest | undefined,
  outbox: Outbox | undefined,
): LinkPair[] {
  const seen = new Map<string, LinkPair>();
  for (const pair of outbox?.added ?? []) seen.set(pairKey(pair.source, pair.target), pair);
  for (const [source, page] of Object.entries(manifest?.pages ?? {})) {
    for (const target of page.links) seen.set(pairKey(source, target), { source, target });
  }
  return [...seen.values()].map(({ source, target }) => ({ source, target })).sort(compare);
}

/**
 * Decides what this run sends: pairs that state has not settled. On a first run
 * (no state, no previous manifest) every pair becomes `baseline`, unless `all`.
 * Without state but with a previous manifest (state lost, or kept only as the
 * deployed manifest), only the outbox's added pairs are news; the rest existed
 * before the previous build and become `baseline` too, so nothing is re-sent wholesale.
 */
export function planSend(input: PlanInput): SendPlan {
  const firstRun = !input.stateExisted && (input.outbox?.previousGeneratedAt ?? null) === null;
  const plan: SendPlan = {
    firstRun,
    send: [],
    baseline: [],
    waiting: [],
    settled: 0,
    candidates: 0,
  };
  const nowMs = input.now.getTime();
  const seenAt = input.now.toISOString();
  const added = new Set(
    (input.outbox?.added ?? []).map((pair) => pairKey(pair.source, pair.target)),
  );
  for (const pair of candidatePairs(input.manifest, input.outbox)) {
    plan.candidates += 1;
    const key = pairKey(pair.source, pair.target);
    const previous = input.state.get(key);
    if (!previous) {
      const history = !input.stateExisted && (firstRun || !added.has(key));
      if (history && !input.all) plan.baseline.push(pair);
      else plan.send.push({ ...pair, previous, seenAt });
    } else if (SETTLED.has(previous.status)) {
      plan.settled += 1;
    } else if (previous.status === "baseline") {
      if (input.all) plan.send.push({ ...pair, previous });
      else plan.settled += 1;
    } else if (
      input.all ||
      previous.nextAttemptAt === undefined ||
      Date.parse(previous.nextAttemptAt) <= nowMs
    ) {
      plan.send.push({ ...pair, previous });
    } else {
      plan.waiting.push(previous);
    }
  }
  return plan;
}
