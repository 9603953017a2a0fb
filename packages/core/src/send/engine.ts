import type { NetError } from "../net/errors.ts";
import type { HttpClient } from "../net/http-client.ts";
import { checkSourceLinks, fetchSourceForCheck, type SourceFetch } from "./check-source.ts";
import { type Classification, classifyDiscovery } from "./classify.ts";
import { type DiscoveryResult, discoverEndpoint } from "./discover.ts";
import { sendPing } from "./ping.ts";
import type { PlannedPair } from "./plan.ts";
import { PoliteScheduler, SchedulerStoppedError, type SchedulerWait } from "./scheduler.ts";
import type { EndpointRecord, StateEntry } from "./state-types.ts";
import { sendWebmention } from "./webmention-send.ts";

export interface EngineOptions {
  concurrency: number;
  hostIntervalMs: number;
  timeoutMs: number;
  /** Attempts over all runs before a failing pair becomes `rejected`. */
  maxAttempts: number;
  /** Extra attempts within one run after a transient failure. */
  retriesPerRun: number;
  /** First in-run retry delay; doubles each time. */
  retryDelayMs: number;
  /** Delay before a later run retries; ×4 per attempt, capped at a week. */
  nextRunDelayMs: number;
  discoveryBytes: number;
  /** Fetch each source as WordPress will (no redirects, 150 KB) and hold back pairs it would refuse. */
  checkSources: boolean;
  /** An endpoint kept from an earlier discovery is used while younger than this. */
  endpointMaxAgeMs: number;
  now: () => Date;
}

/** A pair the engine finished with in this run. */
export interface SettledPair {
  entry: StateEntry;
  result: Classification;
  /** How the endpoint was found (undefined when discovery was not reached). */
  discovery: DiscoveryResult | undefined;
}

/** Endpoints kept across runs, so an interrupted run's discoveries are not lost. */
export interface EndpointMemory {
  get(target: string): EndpointRecord | undefined;
  /** Resolves once the record is durable. */
  record(record: EndpointRecord): Promise<void>;
  forget(target: string, at: Date): Promise<void>;
}

export interface EngineHooks {
  /** Called with every new entry; resolves once it is durable. */
  record(entry: StateEntry): Promise<void>;
  endpoints?: EndpointMemory;
  onSettled?(settled: SettledPair): void;
  /** Aborts requests in flight (a second Ctrl-C). */
  signal?: AbortSignal;
  /** Stops starting new requests (a first Ctrl-C). */
  stop?: AbortSignal;
  /** Nothing in flight, waiting for a host (its interval, a backoff); undefined when over. */
  onWait?(wait: SchedulerWait | undefined): void;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Politeness key. An unparsable URL gets its own key; the fetch then rejects it. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Round-robin over target hosts: a, b, c, a, b, c… (each host's pairs in their order). */
export function interleaveByHost(pairs: readonly PlannedPair[]): PlannedPair[] {
  const byHost = new Map<string, PlannedPair[]>();
  for (const pair of pairs) {
    const host = hostOf(pair.target);
    let list = byHost.get(host);
    if (!list) {
      list = [];
      byHost.set(host, list);
    }
    list.push(pair);
  }
  const lists = [...byHost.values()];
  const out: PlannedPair[] = [];
  for (let index = 0; out.length < pairs.length; index++) {
    for (const list of lists) {
      const pair = list[index];
      if (pair) out.push(pair);
    }
  }
  return out;
}

const STALE = "stale" as const;

/**
 * An endpoint kept from an earlier run that did not answer as a pingback server (a
 * network or HTTP error, an unusable body: anything but success or a fault) may have
 * moved: the pair is not judged by it.
 */
function isStale(discovery: DiscoveryResult, result: Classification): boolean {
  if (discovery.via !== "state" || result.status === "sent") return false;
  // A Webmention endpoint's 400 or 429 is an answer about the pair, not a moved endpoint.
  if (discovery.protocol === "webmention") {
    return result.httpStatus !== 400 && result.httpStatus !== 429;
  }
  return result.faultCode === undefined;
}

/**
 * A removal, deletion or page change is news only to a Webmention receiver: when the
 * target now advertises Pingback (or nothing), nothing is sent for it.
 */
function notForPingback(pair: PlannedPair, discovery: DiscoveryResult): Classification | undefined {
  const previous = pair.previous;
  // A retry (no change of its own) goes on with what its entry was about.
  const change = pair.change ?? previous?.change;
  const gone = pair.change === undefined ? previous?.gone : pair.gone;
  if (change === undefined || change === "new" || discovery.protocol !== "pingback") {
    return undefined;
  }
  if (gone !== undefined) {
    return {
      status: "removed",
      message: `${gone === "removed" ? "link removed" : "page deleted"}; the target now advertises Pingback only, which cannot retract: nothing sent`,
    };
  }
  return {
    status: previous?.status === "already-registered" ? "already-registered" : "sent",
    message:
      "page changed; the target now advertises Pingback only, which is never re-pinged: nothing sent",
  };
}

function isAbort(error: NetError | undefined): boolean {
  return error?.code === "aborted";
}

/** The state entry after an attempt: attempts, times, and the give-up rule. */
export function nextEntry(
  pair: PlannedPair,
  result: Classification,
  discovery: Pick<DiscoveryResult, "endpoint" | "protocol"> | undefined,
  now: Date,
  retryInMs: number | undefined,
  options: Pick<EngineOptions, "maxAttempts" | "nextRunDelayMs">,
): StateEntry {
  const previous = pair.previous;
  const at = now.toISOString();
  const attempts = (previous?.attempts ?? 0) + 1;
  const entry: StateEntry = {
    source: pair.source,
    target: pair.target,
    status: result.status,
    attempts,
    // When the run first saw the pair, not its first attempt (which may be much later).
    firstSeenAt: previous?.firstSeenAt ?? pair.seenAt ?? at,
    firstAttemptAt: previous?.firstAttemptAt ?? at,
    lastAttemptAt: at,
    message: result.message,
  };
  const protocol = discovery?.protocol ?? undefined;
  if (protocol !== undefined) entry.protocol = protocol;
  if (discovery?.endpoint !== undefined) entry.endpoint = discovery.endpoint;
  if (result.statusUrl !== undefined) entry.statusUrl = result.statusUrl;
  entry.change = pair.change ?? previous?.change ?? "new";
  const gone = pair.gone ?? (pair.change === undefined ? previous?.gone : undefined);
  if (gone !== undefined) entry.gone = gone;
  const sourceHash = pair.sourceHash ?? previous?.sourceHash;
  if (sourceHash !== undefined) entry.sourceHash = sourceHash;
  const changedAt = pair.sourceChangedAt ?? previous?.sourceChangedAt;
  if (changedAt !== undefined) entry.sourceChangedAt = changedAt;
  if (result.faultCode !== undefined) entry.faultCode = result.faultCode;
  if (result.httpStatus !== undefined) entry.httpStatus = result.httpStatus;
  if (result.status === "failed") {
    if (attempts >= options.maxAttempts) {
      entry.status = "rejected";
      entry.message = `gave up after ${attempts} attempts: ${result.message}`;
    } else {
      const later = Math.min(options.nextRunDelayMs * 4 ** (attempts - 1), WEEK_MS);
      const wait = Math.max(retryInMs ?? later, result.retryAfterMs ?? 0);
      entry.nextAttemptAt = new Date(now.getTime() + wait).toISOString();
    }
  }
  return entry;
}

/**
 * Sends the planned pairs: discovery once per target (shared by its pairs, redone
 * on a transient failure), then pingback.ping to the endpoint, all through the
 * polite scheduler. Each outcome is recorded (durably) before the next retry.
 */
export async function runEngine(
  pairs: readonly PlannedPair[],
  client: HttpClient,
  options: EngineOptions,
  hooks: EngineHooks,
): Promise<SettledPair[]> {
  const scheduler = new PoliteScheduler({
    concurrency: options.concurrency,
    hostIntervalMs: options.hostIntervalMs,
    ...(hooks.onWait ? { onWait: hooks.onWait } : {}),
  });
  const onStop = () => scheduler.stop();
  if (hooks.stop?.aborted) scheduler.stop();
  hooks.stop?.addEventListener("abort", onStop, { once: true });

  /**
   * The endpoint an earlier run found for `target`, as a discovery result, unless it
   * is older than endpointMaxAgeMs or the pair's last attempt failed (the endpoint may
   * be what failed).
   */
  function remembered(pair: PlannedPair): DiscoveryResult | undefined {
    const known = hooks.endpoints?.get(pair.target);
    if (!known || pair.previous?.status === "failed") return undefined;
    const age = options.now().getTime() - Date.parse(known.discoveredAt);
    if (!(age >= 0 && age < options.endpointMaxAgeMs)) return undefined;
    return {
      target: pair.target,
      protocol: known.protocol ?? "pingback",
      endpoint: known.endpoint,
      foundIn: "state",
      via: "state",
      reason: `endpoint discovered at ${known.discoveredAt}, kept in state`,
    };
  }

  // One discovery per target per round; a pair retrying after a failed round starts the next.
  const discoveries = new Map<string, { round: number; promise: Promise<DiscoveryResult> }>();
  function discover(pair: PlannedPair, afterRound: number, redo: boolean, notBefore: number) {
    const target = pair.target;
    const current = discoveries.get(target);
    if (current && (!redo || current.round > afterRound)) return current;
    const round = afterRound + 1;
    const known = afterRound === 0 ? remembered(pair) : undefined;
    if (known) {
      const next = { round, promise: Promise.resolve(known) };
      discoveries.set(target, next);
      return next;
    }
    // The endpoint is kept (durably) before the slot is released, so a run killed
    // from then on has not lost this discovery.
    const promise = scheduler.run({ host: hostOf(target), kind: "fetch", notBefore }, async () => {
      const found = await discoverEndpoint(client, target, {
        maxBodyBytes: options.discoveryBytes,
        timeoutMs: options.timeoutMs,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
      if (found.endpoint !== undefined && found.protocol !== null && hooks.endpoints) {
        const discoveredAt = options.now().toISOString();
        const { endpoint, protocol } = found;
        await hooks.endpoints.record({ target, endpoint, protocol, discoveredAt });
      }
      return found;
    });
    promise.catch(() => {});
    const next = { round, promise };
    discoveries.set(target, next);
    return next;
  }

  // One check per source page per run, queued on the source's host like any fetch.
  const sourceChecks = new Map<string, Promise<SourceFetch>>();
  function checkSource(source: string): Promise<SourceFetch> {
    let promise = sourceChecks.get(source);
    if (!promise) {
      promise = scheduler.run({ host: hostOf(source), kind: "fetch" }, () =>
        fetchSourceForCheck(client, source, {
          timeoutMs: options.timeoutMs,
          ...(hooks.signal ? { signal: hooks.signal } : {}),
        }),
      );
      promise.catch(() => {});
      sourceChecks.set(source, promise);
    }
    return promise;
  }

  const settled: SettledPair[] = [];

  async function processPair(initial: PlannedPair): Promise<void> {
    let pair = initial;
    let round = 0;
    let notBefore = 0;
    let redoDiscovery = false;
    for (let attempt = 0; ; attempt++) {
      const found = discover(pair, round, redoDiscovery, notBefore);
      round = found.round;
      const discovery = await found.promise;
      if (isAbort(discovery.error)) return;
      // Decides retry and builds the entry for an attempt's result.
      const conclude = (result: Classification, retryable = true) => {
        const retry =
          retryable &&
          result.status === "failed" &&
          attempt < options.retriesPerRun &&
          (pair.previous?.attempts ?? 0) + 1 < options.maxAttempts &&
          !hooks.stop?.aborted;
        const retryIn = retry
          ? Math.max(options.retryDelayMs * 2 ** attempt, result.retryAfterMs ?? 0)
          : undefined;
        const now = options.now();
        const entry = nextEntry(pair, result, discovery, now, retryIn, options);
        return { result, retryIn, entry };
      };
      let outcome: ReturnType<typeof conclude> | undefined;
      const unsent = notForPingback(pair, discovery);
      const sourceProblem =
        // WordPress's view of the source matters to Pingback only.
        options.checkSources && discovery.protocol === "pingback" && pair.gone === undefined
          ? checkSourceLinks(await checkSource(pair.source), pair.source, pair.target)
          : undefined;
      if (unsent) {
        outcome = conclude(unsent, false);
        await hooks.record(outcome.entry);
      } else if (discovery.endpoint === undefined) {
        outcome = conclude(classifyDiscovery(discovery));
        await hooks.record(outcome.entry);
      } else if (sourceProblem) {
        // The same page would fail the same way again within this run: wait for the next.
        outcome = conclude(sourceProblem, false);
        await hooks.record(outcome.entry);
      } else {
        const endpoint = discovery.endpoint;
        // The slot is held until the outcome is on disk: at any instant at most
        // `concurrency` pings are sent but not yet recorded (what a kill -9 can lose).
        const pinged = await scheduler.run(
          { host: hostOf(endpoint), kind: "ping", notBefore },
          async () => {
            const send = discovery.protocol === "webmention" ? sendWebmention : sendPing;
            const result = await send(client, endpoint, pair.source, pair.target, {
              timeoutMs: options.timeoutMs,
              ...(hooks.signal ? { signal: hooks.signal } : {}),
            });
            if (hooks.signal?.aborted && result.status === "failed") return undefined;
            if (isStale(discovery, result)) return STALE;
            const concluded = conclude(result);
            await hooks.record(concluded.entry);
            return concluded;
          },
        );
        if (!pinged) return;
        if (pinged === STALE) {
          // Not this pair's outcome: the kept endpoint is gone; find the current one.
          await hooks.endpoints?.forget(pair.target, options.now());
          redoDiscovery = true;
          continue;
        }
        outcome = pinged;
      }
      const { result, retryIn, entry } = outcome;
      if (retryIn === undefined) {
        const done = { entry, result, discovery };
        settled.push(done);
        hooks.onSettled?.(done);
        return;
      }
      pair = { ...pair, previous: entry };
      notBefore = Date.now() + retryIn;
      redoDiscovery = discovery.endpoint === undefined;
    }
  }

  // Pairs interleaved host by host enter a bounded window, so memory does not grow
  // with the number of pairs while every host with work stays in reach of the scheduler.
  const queue = interleaveByHost(pairs);
  const windowSize = Math.max(options.concurrency * 16, 256);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < queue.length && !hooks.stop?.aborted) {
      const pair = queue[next++] as PlannedPair;
      await processPair(pair).catch((error: unknown) => {
        if (!(error instanceof SchedulerStoppedError)) throw error;
      });
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(windowSize, queue.length) }, lane));
  } finally {
    hooks.stop?.removeEventListener("abort", onStop);
    scheduler.stop();
  }
  return settled;
}
