import type { LinkPair, Manifest, Outbox } from "../manifest/types.ts";
import type { Protocol } from "./discover.ts";
import { type PairChange, type PairGone, pairKey, type StateEntry } from "./state-types.ts";

export interface PlanInput {
  manifest: Manifest | undefined;
  outbox: Outbox | undefined;
  /** Entries of state.json, keyed by pairKey. */
  state: ReadonlyMap<string, StateEntry>;
  /** Whether state.json existed. */
  stateExisted: boolean;
  /** Also send baseline pairs and failed pairs not yet due. */
  all: boolean;
  /** Re-send Webmentions when a source page changed (same links, new content). Default true. */
  updates?: boolean;
  now: Date;
}

export interface PlannedPair extends LinkPair {
  /** What state knew before this run. */
  previous: StateEntry | undefined;
  /** When this run planned the pair: its `firstSeenAt` if state did not know it. */
  seenAt?: string;
  /** Why it is sent (absent: a retry, which keeps the previous entry's reason). */
  change?: PairChange;
  /** The link is gone from the site (a removal or deletion being notified). */
  gone?: PairGone;
  /** The source page's content fingerprint now, when the manifest has one. */
  sourceHash?: string;
  /** When the source page's current content was first seen. */
  sourceChangedAt?: string;
}

/** Why a pair is (or is not) sent in this run. */
export type PairReason = PairChange | "retry-due" | "waiting" | "settled" | "baseline";

/** What this run does with one pair, and why: the dry run's and `--json`'s account. */
export interface PairDecision extends LinkPair {
  /** send: notify now; record: write state, send nothing; wait: a retry not yet due; none: nothing to do. */
  action: "send" | "record" | "wait" | "none";
  why: PairReason;
  /** The protocol used before, when state knows it (discovery decides afresh for a send). */
  protocol?: Protocol;
  /** For `wait`: when the retry is due. */
  nextAttemptAt?: string;
}

export interface SendPlan {
  /** No state and no previous manifest: existing links are history, not news. */
  firstRun: boolean;
  /** Pairs to notify now, sorted by source then target. */
  send: PlannedPair[];
  /** Pairs to record as `baseline` without sending. */
  baseline: LinkPair[];
  /**
   * Entries to write without sending: Pingback (or never-notified) pairs whose link is
   * gone, as `removed`; pairs whose source page changed with nothing to send, with the
   * new fingerprint.
   */
  record: StateEntry[];
  /** Failed pairs whose nextAttemptAt is still ahead. */
  waiting: StateEntry[];
  /** Candidates state has already settled. */
  settled: number;
  /** Distinct candidate pairs (manifest ∪ outbox.added, and pairs of state whose link is gone). */
  candidates: number;
  /** Every candidate pair with what happens to it and why, sorted by source then target. */
  decisions: PairDecision[];
}

/** Outcomes that told the target about the link: a removal or deletion is worth telling too. */
const NOTIFIED = new Set(["sent", "already-registered"]);

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

function isDue(entry: StateEntry, all: boolean, nowMs: number): boolean {
  return all || entry.nextAttemptAt === undefined || Date.parse(entry.nextAttemptAt) <= nowMs;
}

/** Builds the plan pair by pair; `decide` keeps `decisions` in step with the lists. */
class PlanBuilder {
  readonly plan: SendPlan;
  constructor(firstRun: boolean) {
    this.plan = {
      firstRun,
      send: [],
      baseline: [],
      record: [],
      waiting: [],
      settled: 0,
      candidates: 0,
      decisions: [],
    };
  }
  decide(pair: LinkPair, action: PairDecision["action"], why: PairReason, previous?: StateEntry) {
    const decision: PairDecision = { source: pair.source, target: pair.target, action, why };
    if (previous?.protocol !== undefined) decision.protocol = previous.protocol;
    if (action === "wait" && previous?.nextAttemptAt)
      decision.nextAttemptAt = previous.nextAttemptAt;
    this.plan.decisions.push(decision);
  }
  send(planned: PlannedPair, why: PairReason) {
    this.plan.send.push(planned);
    this.decide(planned, "send", why, planned.previous);
  }
  settle(pair: LinkPair, previous: StateEntry) {
    this.plan.settled += 1;
    this.decide(pair, "none", previous.status === "baseline" ? "baseline" : "settled", previous);
  }
  retry(
    pair: LinkPair,
    previous: StateEntry,
    all: boolean,
    nowMs: number,
    extra: Partial<PlannedPair> = {},
  ) {
    if (isDue(previous, all, nowMs)) this.send({ ...pair, previous, ...extra }, "retry-due");
    else {
      this.plan.waiting.push(previous);
      this.decide(pair, "wait", "waiting", previous);
    }
  }
}

/** The entry of a pair whose link is gone, recorded without sending. */
function goneEntry(previous: StateEntry, gone: PairGone): StateEntry {
  const { nextAttemptAt: _dropped, ...rest } = previous;
  const what = gone === "removed" ? "link removed from the page" : "page deleted";
  const why =
    NOTIFIED.has(previous.status) && previous.protocol !== "webmention"
      ? "Pingback cannot retract a ping"
      : "the target was never notified";
  return { ...rest, status: "removed", gone, message: `${what}; ${why}: nothing sent` };
}

/**
 * Decides what this run sends, per pair, and why. On a first run (no state, no previous
 * manifest) every pair becomes `baseline`, unless `all`. Without state but with a
 * previous manifest (state lost, or kept only as the deployed manifest), only the
 * outbox's added pairs are news; the rest become `baseline` too.
 *
 * The life of a link, judged from the manifest against state: a new pair is sent; a
 * pair whose link is gone (page still there: `removed`; page gone: `page-deleted`) is
 * sent again when its target was notified by Webmention, and otherwise recorded as
 * `removed`; a pair whose source page changed (another content fingerprint, same link)
 * is sent again to Webmention targets (unless `updates` is false), never re-pinged.
 */
export function planSend(input: PlanInput): SendPlan {
  const firstRun = !input.stateExisted && (input.outbox?.previousGeneratedAt ?? null) === null;
  const builder = new PlanBuilder(firstRun);
  const plan = builder.plan;
  const nowMs = input.now.getTime();
  const seenAt = input.now.toISOString();
  const updates = input.updates ?? true;
  const added = new Set(
    (input.outbox?.added ?? []).map((pair) => pairKey(pair.source, pair.target)),
  );
  const current = candidatePairs(input.manifest, input.outbox);
  const currentKeys = new Set(current.map((pair) => pairKey(pair.source, pair.target)));
  // Without a manifest, or with one of no pages (a broken build, most likely), the
  // site's links are unknown: nothing is judged gone, so nothing is re-sent wholesale.
  const gonePairs: LinkPair[] = [];
  if (input.manifest && Object.keys(input.manifest.pages).length > 0) {
    for (const entry of input.state.values()) {
      if (!currentKeys.has(pairKey(entry.source, entry.target))) gonePairs.push(entry);
    }
  }
  const all = [
    ...current.map((pair) => ({ pair, live: true })),
    ...gonePairs.map((pair) => ({ pair, live: false })),
  ].sort((a, b) => compare(a.pair, b.pair));

  for (const { pair, live } of all) {
    plan.candidates += 1;
    const key = pairKey(pair.source, pair.target);
    const previous = input.state.get(key);
    const page = input.manifest?.pages[pair.source];
    const hash = page?.contentHash;
    const fingerprint = hash === undefined ? {} : { sourceHash: hash };
    if (!live) {
      const entry = previous as StateEntry;
      const gone: PairGone = page ? "removed" : "page-deleted";
      if (entry.gone !== undefined) {
        if (entry.status === "failed") builder.retry(pair, entry, input.all, nowMs);
        else builder.settle(pair, entry);
      } else if (entry.protocol === "webmention" && NOTIFIED.has(entry.status)) {
        builder.send(
          { source: pair.source, target: pair.target, previous: entry, change: gone, gone },
          gone,
        );
      } else {
        plan.record.push(goneEntry(entry, gone));
        builder.decide(pair, "record", gone, entry);
      }
      continue;
    }
    if (!previous) {
      const history = !input.stateExisted && (firstRun || !added.has(key));
      if (history && !input.all) {
        plan.baseline.push({ source: pair.source, target: pair.target });
        builder.decide(pair, "record", "baseline");
      } else {
        const why = history ? "baseline" : "new";
        builder.send({ ...pair, previous, seenAt, change: "new", ...fingerprint }, why);
      }
      continue;
    }
    if (previous.gone !== undefined) {
      // The link is back: news again.
      builder.send({ ...pair, previous, change: "new", ...fingerprint }, "new");
      continue;
    }
    const changed =
      hash !== undefined && previous.sourceHash !== undefined && previous.sourceHash !== hash;
    const changedAt = changed ? { sourceChangedAt: seenAt } : {};
    if (previous.status === "failed") {
      builder.retry(pair, previous, input.all, nowMs, { ...fingerprint, ...changedAt });
      continue;
    }
    if (previous.status === "baseline" && input.all) {
      builder.send({ ...pair, previous, change: "new", ...fingerprint }, "baseline");
      continue;
    }
    if (changed && updates && previous.protocol === "webmention" && NOTIFIED.has(previous.status)) {
      builder.send(
        { ...pair, previous, change: "page-changed", ...fingerprint, ...changedAt },
        "page-changed",
      );
      continue;
    }
    if (hash !== undefined && previous.sourceHash !== hash) {
      // Nothing to send (Pingback is not re-pinged, updates are off, or the pair was
      // never notified): the fingerprint is kept, so the change is not news again.
      plan.record.push({ ...previous, sourceHash: hash, ...changedAt });
      builder.decide(pair, "record", changed ? "page-changed" : "settled", previous);
      plan.settled += 1;
      continue;
    }
    builder.settle(pair, previous);
  }
  return plan;
}
