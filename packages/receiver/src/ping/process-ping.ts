import { setTimeout as sleep } from "node:timers/promises";
import { ConcurrencyGate } from "../limits/concurrency-gate.ts";
import { TokenBuckets } from "../limits/token-buckets.ts";
import type { SiteIndex } from "../manifest/site-index.ts";
import { hostMatches, type ResolvedReceiverOptions } from "../options.ts";
import { GroupCommit } from "../store/group-commit.ts";
import type { CitingPost, PingbackStatus, PingbackStore } from "../store/types.ts";
import { checkUri, normaliseUri, pageUrlVariants } from "../uri.ts";
import { checkSource, type RefusalReason } from "../verify/check-source.ts";
import { ANSWERS, faultFor, type PingAnswer, tooMany } from "./answers.ts";
import type { SourceFetcher } from "./fetch-source.ts";

type Outcome =
  | { ok: true; post: CitingPost }
  | { ok: false; faultCode: 16 | 17; reason?: RefusalReason };

/** How a ping in progress ends, as its followers (same pair, same moment) need to know. */
type Settled = "stored" | PingAnswer;

export interface PingDependencies {
  options: ResolvedReceiverOptions;
  site: () => SiteIndex | undefined;
  store: PingbackStore;
  fetchSource: SourceFetcher;
  /** Called after a verified pingback is stored as approved. */
  onApproved: () => void;
}

/**
 * The pingback.ping procedure: cheap checks first (URIs, target, duplicate),
 * then abuse limits, then at most one source fetch per accepted ping, then a
 * durable store before any success answer.
 */
export class PingProcessor {
  readonly #deps: PingDependencies;
  readonly #perClient: TokenBuckets;
  readonly #perSourceHost: TokenBuckets;
  readonly #gate: ConcurrencyGate;
  readonly #writes: GroupCommit;
  /** Pairs being verified now: later pings of the same pair wait for this one. */
  readonly #inflight = new Map<string, Promise<Settled>>();
  readonly #background = new Set<Promise<unknown>>();
  #closing = false;

  constructor(deps: PingDependencies) {
    this.#deps = deps;
    const { options } = deps;
    this.#perClient = new TokenBuckets(options.perClient);
    this.#perSourceHost = new TokenBuckets(options.perSourceHost);
    this.#writes = new GroupCommit(deps.store);
    this.#gate = new ConcurrencyGate(
      options.maxConcurrentVerifications,
      options.maxQueuedVerifications,
    );
  }

  get stats() {
    return {
      verifying: this.#gate.running,
      waiting: this.#gate.queued,
      inflightPairs: this.#inflight.size,
      background: this.#background.size,
    };
  }

  async ping(rawSource: string, rawTarget: string, clientIp: string): Promise<PingAnswer> {
    const { options, store } = this.#deps;
    const source = checkUri(rawSource, options.maxUriLength);
    if (!source.ok) return ANSWERS.badSource;
    const target = checkUri(rawTarget, options.maxUriLength);
    if (!target.ok) return ANSWERS.badTarget;
    const sourceUri = normaliseUri(source.url);
    const targetUri = normaliseUri(target.url);
    if (sourceUri === targetUri) return ANSWERS.sameUri;

    const site = this.#deps.site();
    if (!site) return ANSWERS.unavailable;
    const found = site.lookup(targetUri);
    if (found.kind === "not-a-page") return ANSWERS.noTarget;
    if (found.kind !== "enabled") return ANSWERS.notATarget;
    if (!options.allowSelfPings && site.isOwnSite(source.url)) return ANSWERS.selfPing;

    const canonical = found.canonical;
    const existing = await store.find(sourceUri, canonical);
    if (existing && existing.verification !== "failed") return ANSWERS.duplicate;
    const key = `${sourceUri}\n${canonical}`;
    const running = this.#inflight.get(key);
    if (running) return this.#follow(running);

    const host = source.url.hostname;
    const client = this.#perClient.take(clientIp);
    if (!client.ok) return tooMany(client.retryAfterSeconds);
    const byHost = this.#perSourceHost.take(host.toLowerCase());
    if (!byHost.ok) return tooMany(byHost.retryAfterSeconds);
    // After the buckets: a blocked host must not be able to fill the database either.
    if (hostMatches(host, options.blocked)) {
      await this.#writes.insert({
        source: sourceUri,
        target: canonical,
        status: "rejected",
        verification: "skipped",
        clientIp,
        post: null,
      });
      return ANSWERS.registered;
    }
    const slot = this.#gate.tryEnter();
    if (!slot) return tooMany(5);

    // Re-check after the awaits above: another ping of this pair may have started meanwhile.
    const raced = this.#inflight.get(key);
    if (raced) {
      void slot.then((release) => release());
      return this.#follow(raced);
    }
    let settle: (value: Settled) => void = () => {};
    const settled = new Promise<Settled>((resolve) => {
      settle = resolve;
    });
    this.#inflight.set(key, settled);
    try {
      if (existing) await store.remove([existing.id]);
      const answer = await this.#verifyAndStore({
        source: sourceUri,
        target: canonical,
        targets: new Set([...pageUrlVariants(targetUri), ...pageUrlVariants(canonical)]),
        status: hostMatches(host, options.trusted) ? "approved" : "pending",
        clientIp,
        slot,
      });
      settle(answer.kind === "success" ? "stored" : answer);
      return answer;
    } catch (error) {
      settle(ANSWERS.unavailable);
      throw error;
    } finally {
      this.#inflight.delete(key);
    }
  }

  /** Re-verifies pings accepted as "queued" before a restart. */
  async resumeQueued(): Promise<number> {
    const { store } = this.#deps;
    const rows = await store.queued();
    for (const row of rows) {
      if (this.#closing) break;
      let slot = this.#gate.tryEnter();
      while (!slot && !this.#closing) {
        await sleep(500);
        slot = this.#gate.tryEnter();
      }
      if (!slot) break;
      const targets = new Set(pageUrlVariants(row.target));
      const task = this.#runVerification(row.source, targets, row.clientIp ?? "unknown", slot);
      this.#track(task.then((outcome) => this.#complete(row.id, outcome, row.status)));
    }
    return rows.length;
  }

  /** Waits for background verifications (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  close(): void {
    this.#closing = true;
  }

  async #follow(running: Promise<Settled>): Promise<PingAnswer> {
    const result = await running;
    return result === "stored" ? ANSWERS.duplicate : result;
  }

  async #verifyAndStore(ping: {
    source: string;
    target: string;
    targets: ReadonlySet<string>;
    status: PingbackStatus;
    clientIp: string;
    slot: Promise<() => void>;
  }): Promise<PingAnswer> {
    const { options } = this.#deps;
    const started = performance.now();
    const task = this.#runVerification(ping.source, ping.targets, ping.clientIp, ping.slot);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), options.answerDeadlineMs);
    });
    const first = await Promise.race([task, deadline]);
    clearTimeout(timer);

    if (first === "late") {
      // Durable before answering: a restart resumes it from the store.
      const { id } = await this.#writes.insert({
        source: ping.source,
        target: ping.target,
        status: ping.status,
        verification: "queued",
        clientIp: ping.clientIp,
        post: null,
      });
      this.#track(task.then((outcome) => this.#complete(id, outcome, ping.status)));
      options.log({ event: "queued", source: ping.source, target: ping.target });
      return ANSWERS.queued;
    }
    if (!first.ok) {
      // Same answer, similar time, whatever failed: no port scanning through us.
      const wait = options.connectTimeoutMs - (performance.now() - started);
      if (first.faultCode === 16 && wait > 0) await sleep(wait);
      return faultFor(first.faultCode, first.reason);
    }
    const { inserted } = await this.#writes.insert({
      source: ping.source,
      target: ping.target,
      status: ping.status,
      verification: "verified",
      clientIp: ping.clientIp,
      post: first.post,
    });
    if (!inserted) return ANSWERS.duplicate;
    options.log({ event: "stored", source: ping.source, target: ping.target, status: ping.status });
    if (ping.status === "approved") this.#deps.onApproved();
    return ANSWERS.registered;
  }

  async #runVerification(
    source: string,
    targets: ReadonlySet<string>,
    clientIp: string,
    slot: Promise<() => void>,
  ): Promise<Outcome> {
    const release = await slot;
    try {
      const fetched = await this.#deps.fetchSource(source, clientIp);
      if (!fetched.ok) return fetched;
      return checkSource(fetched.source, targets);
    } catch {
      return { ok: false, faultCode: 16 };
    } finally {
      release();
    }
  }

  async #complete(id: number, outcome: Outcome, status: PingbackStatus): Promise<void> {
    const { options, store } = this.#deps;
    try {
      if (outcome.ok) {
        await store.completeVerification(id, { ok: true, status, post: outcome.post });
        if (status === "approved") this.#deps.onApproved();
      } else {
        await store.completeVerification(id, { ok: false, faultCode: outcome.faultCode });
      }
      options.log({ event: "verified", id, ok: outcome.ok });
    } catch (error) {
      options.log({ event: "store-error", id, message: (error as Error).message });
    }
  }

  #track(task: Promise<unknown>): void {
    this.#background.add(task);
    void task.finally(() => this.#background.delete(task));
  }
}
