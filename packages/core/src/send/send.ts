import { StaticPingbackError } from "../errors/static-pingback-error.ts";
import { readManifest, readOutbox } from "../manifest/manifest-files.ts";
import type { Manifest, Outbox } from "../manifest/types.ts";
import type { PrivateNetworkPolicy } from "../net/address-policy.ts";
import { createHttpClient, type HttpClient } from "../net/http-client.ts";
import { DEFAULT_STATE_DIR } from "../options/resolve-options.ts";
import { DEFAULT_DISCOVERY_BYTES } from "./discover.ts";
import { type EngineOptions, runEngine, type SettledPair } from "./engine.ts";
import { InvalidSendOptionError } from "./invalid-send-option.ts";
import { planSend, type SendPlan } from "./plan.ts";
import type { SchedulerWait } from "./scheduler.ts";
import { readState, StateStore } from "./state-store.ts";
import { PAIR_STATUSES, type PairStatus, pairKey, type StateEntry } from "./state-types.ts";

export interface SendOptions {
  /** State directory holding manifest.json, outbox.json and state.json. Default DEFAULT_STATE_DIR (".pingback"). */
  dir?: string;
  /** Plan only: send nothing, write nothing, take no lock. */
  dryRun?: boolean;
  /** Also send baseline pairs (including on a first run) and failed pairs not yet due. */
  all?: boolean;
  /** Re-send Webmentions to the targets of a page whose content changed. Default true. */
  updates?: boolean;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Minimum ms between two pings to the same host. Default 16,000 (WordPress floods at 15 s). */
  hostIntervalMs?: number;
  /** Overall deadline of each request. Default 10,000 ms. */
  timeoutMs?: number;
  /** Attempts (over all runs) before a failing pair is `rejected`. Default 5. */
  maxAttempts?: number;
  /** Extra attempts within one run after a transient failure. Default 2. */
  retriesPerRun?: number;
  /** First in-run retry delay, doubled each time. Default 2,000 ms. */
  retryDelayMs?: number;
  /** Delay before a later run retries (×4 per attempt). Default 15 minutes. */
  nextRunDelayMs?: number;
  /**
   * An endpoint discovered by an earlier (perhaps interrupted) run is used without
   * fetching the target again while younger than this; older, or after the pair
   * failed, the target is discovered anew. Default 24 hours; 0 always discovers.
   */
  endpointMaxAgeMs?: number;
  /** Bytes of a target's body searched for the link element. Default 64 KiB. */
  discoveryBytes?: number;
  /**
   * Before pinging, fetch each source page as WordPress will (no redirects, first
   * 150 KB) and hold back, as `failed`, pairs whose source redirects, fails or does
   * not contain the link. Default false.
   */
  checkSources?: boolean;
  allowPrivateNetworks?: PrivateNetworkPolicy;
  userAgentExtra?: string;
  /** Stop starting new pings (in-flight ones finish and are recorded). */
  stop?: AbortSignal;
  /** Abort in-flight requests too (they are not recorded). */
  signal?: AbortSignal;
  onPlan?(plan: SendPlan): void;
  /** Told about what loading the state skipped (a journal line that is not an entry). */
  onWarning?(message: string): void;
  onSettled?(settled: SettledPair): void;
  /** Nothing in flight: waiting for `host` (its interval or a retry's backoff) until `until`. */
  onWait?(wait: SchedulerWait | undefined): void;
  /** Inject a client (tests, custom agents). */
  client?: HttpClient;
  now?: () => Date;
}

export interface SendReport {
  dir: string;
  dryRun: boolean;
  plan: SendPlan;
  /** Pairs finished in this run, in the order they finished. */
  settled: SettledPair[];
  /** This run's outcomes by status (baseline included). */
  counts: Record<PairStatus, number>;
  /** Every pair in state by status, after the run. */
  totals: Record<PairStatus, number>;
  /** A stop was requested before the plan was done. */
  stopped: boolean;
  /** Pairs still `failed` (to be retried by a later run). */
  transientRemaining: number;
}

/** Manifest or outbox missing altogether: nothing to send from. */
export class NothingToSendError extends StaticPingbackError {
  readonly code = "nothing-to-send";
  constructor(dir: string) {
    super(`no manifest.json or outbox.json in ${dir}: build the site with the plugin first`);
    this.name = "NothingToSendError";
  }
}

function positive(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new InvalidSendOptionError(`${name} must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function resolveEngineOptions(options: SendOptions): EngineOptions {
  return {
    concurrency: Math.floor(positive("concurrency", options.concurrency, 4, 1)),
    hostIntervalMs: positive("hostIntervalMs", options.hostIntervalMs, 16_000),
    timeoutMs: positive("timeoutMs", options.timeoutMs, 10_000, 1),
    maxAttempts: Math.floor(positive("maxAttempts", options.maxAttempts, 5, 1)),
    retriesPerRun: Math.floor(positive("retriesPerRun", options.retriesPerRun, 2)),
    retryDelayMs: positive("retryDelayMs", options.retryDelayMs, 2_000),
    nextRunDelayMs: positive("nextRunDelayMs", options.nextRunDelayMs, 15 * 60_000),
    discoveryBytes: Math.floor(
      positive("discoveryBytes", options.discoveryBytes, DEFAULT_DISCOVERY_BYTES, 1),
    ),
    checkSources: options.checkSources ?? false,
    endpointMaxAgeMs: positive("endpointMaxAgeMs", options.endpointMaxAgeMs, 24 * 3600_000),
    now: options.now ?? (() => new Date()),
  };
}

export function countByStatus(
  entries: Iterable<{ status: PairStatus }>,
): Record<PairStatus, number> {
  const counts = Object.fromEntries(PAIR_STATUSES.map((status) => [status, 0])) as Record<
    PairStatus,
    number
  >;
  for (const { status } of entries) counts[status] += 1;
  return counts;
}

async function readInputs(dir: string): Promise<{ manifest?: Manifest; outbox?: Outbox }> {
  const [manifest, outbox] = await Promise.all([readManifest(dir), readOutbox(dir)]);
  if (!manifest && !outbox) throw new NothingToSendError(dir);
  return { ...(manifest ? { manifest } : {}), ...(outbox ? { outbox } : {}) };
}

function toMap(entries: Iterable<StateEntry>): Map<string, StateEntry> {
  const map = new Map<string, StateEntry>();
  for (const entry of entries) map.set(pairKey(entry.source, entry.target), entry);
  return map;
}

/**
 * `static-pingback send`: plans from manifest, outbox and state, records a first
 * run's pairs as baseline, and pings the rest politely, writing state as it goes.
 * Throws PingbackFileError (bad input or state), StateLockedError, NothingToSendError.
 */
export async function sendPingbacks(options: SendOptions = {}): Promise<SendReport> {
  const dir = options.dir ?? DEFAULT_STATE_DIR;
  const engineOptions = resolveEngineOptions(options);
  const inputs = await readInputs(dir);

  if (options.dryRun) {
    const state = await readState(dir, options.onWarning ? { onWarning: options.onWarning } : {});
    const plan = planSend({
      ...inputs,
      manifest: inputs.manifest,
      outbox: inputs.outbox,
      state: toMap(state?.pairs ?? []),
      stateExisted: state !== undefined,
      all: options.all ?? false,
      updates: options.updates ?? true,
      now: engineOptions.now(),
    });
    options.onPlan?.(plan);
    const counts = countByStatus([]);
    return {
      dir,
      dryRun: true,
      plan,
      settled: [],
      counts,
      totals: countByStatus(state?.pairs ?? []),
      stopped: false,
      transientRemaining: 0,
    };
  }

  const store = await StateStore.open(dir);
  for (const warning of store.warnings) options.onWarning?.(warning);
  const client =
    options.client ??
    createHttpClient({
      timeoutMs: engineOptions.timeoutMs,
      ...(options.allowPrivateNetworks === undefined
        ? {}
        : { allowPrivateNetworks: options.allowPrivateNetworks }),
      ...(options.userAgentExtra === undefined ? {} : { userAgentExtra: options.userAgentExtra }),
    });
  try {
    const now = engineOptions.now();
    const plan = planSend({
      manifest: inputs.manifest,
      outbox: inputs.outbox,
      state: toMap(store.all()),
      stateExisted: store.existed,
      all: options.all ?? false,
      updates: options.updates ?? true,
      now,
    });
    options.onPlan?.(plan);
    const hashOf = (source: string) => inputs.manifest?.pages[source]?.contentHash;
    await store.recordAll([
      ...plan.baseline.map((pair) => {
        const sourceHash = hashOf(pair.source);
        return {
          ...pair,
          status: "baseline" as const,
          attempts: 0,
          firstSeenAt: now.toISOString(),
          ...(sourceHash === undefined ? {} : { sourceHash }),
        };
      }),
      ...plan.record,
    ]);

    const settled = await runEngine(plan.send, client, engineOptions, {
      record: (entry) => store.record(entry),
      endpoints: {
        get: (target) => store.endpointFor(target),
        record: (record) => store.recordEndpoint(record),
        forget: (target, at) => store.forgetEndpoint(target, at),
      },
      onSettled: (done) => options.onSettled?.(done),
      ...(options.onWait ? { onWait: options.onWait } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
    });
    const counts = countByStatus(settled.map((done) => done.entry));
    counts.baseline += plan.baseline.length;
    counts.removed += plan.record.filter((entry) => entry.status === "removed").length;
    const totals = countByStatus(store.all());
    return {
      dir,
      dryRun: false,
      plan,
      settled,
      counts,
      totals,
      stopped: settled.length < plan.send.length,
      transientRemaining: totals.failed,
    };
  } finally {
    try {
      await store.close();
    } finally {
      if (!options.client) await client.close();
    }
  }
}
