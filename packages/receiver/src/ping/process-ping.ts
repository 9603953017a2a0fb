import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { stripInvisible } from "@static-pingback/core/received";
import { PINGBACK_FAULTS as F } from "@static-pingback/core/xmlrpc";
import type { HostRules } from "../hosts/host-rules.ts";
import { ConcurrencyGate } from "../limits/concurrency-gate.ts";
import { addressKey, siteKey } from "../limits/rate-keys.ts";
import { TokenBuckets } from "../limits/token-buckets.ts";
import type { SiteIndex } from "../manifest/site-index.ts";
import { portAllowed, type ResolvedReceiverOptions } from "../options.ts";
import { boundPost, FIELD_CAPS } from "../store/field-caps.ts";
import { GroupCommit } from "../store/group-commit.ts";
import { StorageQuota } from "../store/quota.ts";
import type { CitingPost, PingbackStatus, PingbackStore, StoredPingback } from "../store/types.ts";
import { pageUrlVariants } from "../uri.ts";
import { checkSource, type RefusalReason } from "../verify/check-source.ts";
import { ANSWERS, faultFor, type PingAnswer, type SourceFault, tooMany } from "./answers.ts";
import type { SourceFetcher } from "./fetch-source.ts";
import {
  Blocklist,
  HopRefusal,
  type Resolve,
  resolveAddresses,
  trustedChain,
} from "./hop-guard.ts";
import { busy, type MentionAnswer, REFUSALS } from "./mention-answers.ts";
import { failureEffect } from "./mention-update.ts";
import { checkRequest, type EarlyRefusal } from "./request-checks.ts";

/** A string from the request as logged: bounded, without control or bidi characters. */
function logSafe(value: string): string {
  return stripInvisible(value.slice(0, FIELD_CAPS.url));
}

/** A pingback's fault for each early refusal (fixed answers, nothing about the network). */
const PINGBACK_REFUSALS: Record<EarlyRefusal, PingAnswer> = {
  "bad-source": ANSWERS.badSource,
  "bad-target": ANSWERS.badTarget,
  "same-uri": ANSWERS.sameUri,
  "not-ready": ANSWERS.unavailable,
  "not-a-page": ANSWERS.noTarget,
  "not-a-target": ANSWERS.notATarget,
  "self-ping": ANSWERS.selfPing,
  port: ANSWERS.portNotAllowed,
};

/** Statuses by which a person turned a pingback down. */
const REFUSED: ReadonlySet<PingbackStatus> = new Set(["rejected", "spam"]);

/** A verification's end; `hops`: the request URL, each redirect target and the final URL. */
type Outcome =
  | { ok: true; post: CitingPost; hops: readonly string[] }
  | {
      ok: false;
      faultCode: SourceFault;
      refused?: HopRefusal;
      reason?: RefusalReason;
      httpStatus?: number;
    };

/** A stored mention's state before a Webmention re-verifies it. */
type Prior = Pick<StoredPingback, "verification" | "goneSince" | "status"> | null;

/** A status a person set on the pair, kept whatever verification finds. */
type Decision = { status: PingbackStatus; at: string } | null;

/** How a ping in progress ends, as its followers (same pair, same moment) need to know. */
type Settled = "stored" | PingAnswer;

export interface PingDependencies {
  options: ResolvedReceiverOptions;
  site: () => SiteIndex | undefined;
  store: PingbackStore;
  fetchSource: SourceFetcher;
  /** Resolves a hop's host for the hop checks (the connection then dials that answer). */
  resolveHop: Resolve;
  /** Called after a verified pingback is stored as approved. */
  onApproved: () => void;
  /** The trusted and blocked hosts now (flags, the store's rules, shared lists). */
  hosts: HostRules;
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
  readonly #perSourceAddress: TokenBuckets;
  /** Verifications running or waiting per client key (a background one counts until it ends). */
  readonly #perClientInflight = new Map<string, number>();
  readonly #gate: ConcurrencyGate;
  readonly #writes: GroupCommit;
  readonly #blocklist: Blocklist;
  readonly #quota: StorageQuota;
  /** Pairs being verified now: later pings of the same pair wait for this one. */
  readonly #inflight = new Map<string, Promise<Settled>>();
  readonly #background = new Set<Promise<unknown>>();
  /** Ids of stored mentions a Webmention is re-verifying now (their status URL says queued). */
  readonly #rechecking = new Set<number>();
  #closing = false;

  constructor(deps: PingDependencies) {
    this.#deps = deps;
    const { options } = deps;
    this.#perClient = new TokenBuckets(options.perClient);
    this.#perSourceHost = new TokenBuckets(options.perSourceHost);
    this.#perSourceAddress = new TokenBuckets(options.perSourceAddress);
    this.#writes = new GroupCommit(deps.store);
    this.#blocklist = new Blocklist(deps.hosts, options.resolve);
    this.#quota = new StorageQuota(deps.store, options.maxStoredPingbacks, options.log);
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

  /** Answers one pingback.ping; every refusal is logged (`refused`: fault and reason, no body). */
  async ping(rawSource: string, rawTarget: string, clientIp: string): Promise<PingAnswer> {
    const answer = await this.#answer(rawSource, rawTarget, clientIp);
    if (answer.kind === "fault") {
      this.#deps.options.log({
        event: "refused",
        level: "info",
        fault: answer.code,
        reason: answer.reason ?? "unknown",
        source: logSafe(rawSource),
        target: logSafe(rawTarget),
        client: logSafe(clientIp),
      });
    }
    return answer;
  }

  async #answer(rawSource: string, rawTarget: string, rawClientIp: string): Promise<PingAnswer> {
    const { options, store } = this.#deps;
    const clientIp = rawClientIp.slice(0, FIELD_CAPS.clientIp);
    const checked = checkRequest(rawSource, rawTarget, this.#deps.site(), options);
    if (!checked.ok) return PINGBACK_REFUSALS[checked.refusal];
    const { source, sourceUri, targetUri, canonical } = checked;
    const existing = await store.find(sourceUri, canonical);
    if (existing && existing.verification !== "failed") return ANSWERS.duplicate;
    // A person said no: the pair stays as they left it, and costs no fetch.
    if (existing?.moderatedAt && REFUSED.has(existing.status)) return ANSWERS.duplicate;
    const key = `${sourceUri}\n${canonical}`;
    const running = this.#inflight.get(key);
    if (running) return this.#follow(running);

    const host = source.hostname;
    const clientKey = addressKey(clientIp);
    const limited = this.#limit(clientKey, host);
    if (limited) return tooMany(limited.retryAfterSeconds, limited.reason);
    // A re-ping of a failed row replaces it: only a new row needs room.
    if (!existing && !(await this.#quota.allows())) return ANSWERS.full;
    // After the buckets: a blocked host must not be able to fill the database either.
    if (this.#blocklist.blocksName(host)) return this.#storeBlocked(sourceUri, canonical, clientIp);
    const slot = this.#gate.tryEnter();
    if (!slot) return tooMany(5, "verification-queue-full");

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
    this.#perClientInflight.set(clientKey, (this.#perClientInflight.get(clientKey) ?? 0) + 1);
    try {
      if (existing) await store.remove([existing.id]);
      const answer = await this.#verifyAndStore({
        source: sourceUri,
        target: canonical,
        targets: new Set([...pageUrlVariants(targetUri), ...pageUrlVariants(canonical)]),
        // A re-ping keeps a person's decision.
        decision: existing?.moderatedAt
          ? { status: existing.status, at: existing.moderatedAt }
          : null,
        clientIp,
        clientKey,
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

  /**
   * The limits a new verification must pass, keyed by what an attacker cannot
   * multiply cheaply (a /64, a registrable domain): the client's verifications in
   * flight, its bucket, the source site's bucket. Null when all pass.
   */
  #limit(clientKey: string, host: string): { retryAfterSeconds: number; reason: string } | null {
    if (
      (this.#perClientInflight.get(clientKey) ?? 0) >= this.#deps.options.maxVerificationsPerClient
    ) {
      return { retryAfterSeconds: 5, reason: "client-verifications-in-flight" };
    }
    const client = this.#perClient.take(clientKey);
    if (!client.ok)
      return { retryAfterSeconds: client.retryAfterSeconds, reason: "rate-limited-client" };
    const byHost = this.#perSourceHost.take(siteKey(host));
    if (!byHost.ok) {
      return { retryAfterSeconds: byHost.retryAfterSeconds, reason: "rate-limited-source-site" };
    }
    return null;
  }

  /** Whether a Webmention is re-verifying this stored mention now. */
  isRechecking(id: number): boolean {
    return this.#rechecking.has(id);
  }

  /**
   * Answers one Webmention: the cheap checks and the limits of a pingback, then
   * the pair is stored (or re-queued: a repeat is an update) and verified in
   * the background. Every refusal is logged.
   */
  async webmention(rawSource: string, rawTarget: string, clientIp: string): Promise<MentionAnswer> {
    const answer = await this.#acceptMention(rawSource, rawTarget, clientIp);
    if (answer.kind !== "accepted") {
      this.#deps.options.log({
        event: "refused",
        level: "info",
        protocol: "webmention",
        status: answer.kind === "busy" ? answer.status : 400,
        reason: answer.reason,
        source: logSafe(rawSource),
        target: logSafe(rawTarget),
        client: logSafe(clientIp),
      });
    }
    return answer;
  }

  async #acceptMention(
    rawSource: string,
    rawTarget: string,
    rawClientIp: string,
  ): Promise<MentionAnswer> {
    const { options, store } = this.#deps;
    const clientIp = rawClientIp.slice(0, FIELD_CAPS.clientIp);
    const checked = checkRequest(rawSource, rawTarget, this.#deps.site(), options);
    if (!checked.ok) {
      return checked.refusal === "not-ready"
        ? busy(5, "not-ready", 503)
        : REFUSALS[checked.refusal];
    }
    const { source, sourceUri, targetUri, canonical } = checked;
    const existing = await store.find(sourceUri, canonical);
    // A person said no, or the host is blocked: no fetch; the status URL tells.
    const settledNo =
      existing &&
      ((existing.moderatedAt && REFUSED.has(existing.status)) ||
        existing.verification === "skipped");
    if (existing && (settledNo || this.#rechecking.has(existing.id))) {
      return this.#acceptedAs(existing);
    }
    const key = `${sourceUri}\n${canonical}`;
    if (this.#inflight.has(key)) {
      return existing ? this.#acceptedAs(existing) : busy(2, "pair-in-flight");
    }

    const clientKey = addressKey(clientIp);
    const limited = this.#limit(clientKey, source.hostname);
    if (limited) return busy(limited.retryAfterSeconds, limited.reason);
    if (!existing && !(await this.#quota.allows())) return REFUSALS.full;
    const statusKey = existing?.statusKey ?? randomBytes(18).toString("base64url");
    if (!existing && this.#blocklist.blocksName(source.hostname)) {
      await this.#storeBlocked(sourceUri, canonical, clientIp, statusKey, "webmention");
      return { kind: "accepted", statusKey };
    }
    const slot = this.#gate.tryEnter();
    if (!slot) return busy(5, "verification-queue-full");
    if (this.#inflight.has(key)) {
      void slot.then((release) => release());
      return existing ? this.#acceptedAs(existing) : busy(2, "pair-in-flight");
    }
    let settle: (value: Settled) => void = () => {};
    this.#inflight.set(
      key,
      new Promise<Settled>((resolve) => {
        settle = resolve;
      }),
    );
    this.#perClientInflight.set(clientKey, (this.#perClientInflight.get(clientKey) ?? 0) + 1);
    let id: number;
    try {
      if (existing) {
        await store.requeue(existing.id, statusKey);
        id = existing.id;
      } else {
        const stored = await this.#writes.insert({
          protocol: "webmention",
          source: sourceUri,
          target: canonical,
          status: "pending",
          verification: "queued",
          clientIp,
          post: null,
          statusKey,
        });
        id = stored.id;
        this.#quota.added();
      }
    } catch (error) {
      void slot.then((release) => release());
      this.#inflight.delete(key);
      this.#leaveClient(clientKey);
      settle(ANSWERS.unavailable);
      throw error;
    }
    this.#rechecking.add(id);
    const prior: Prior = existing ?? null;
    const decision = existing?.moderatedAt
      ? { status: existing.status, at: existing.moderatedAt }
      : null;
    const targets = new Set([...pageUrlVariants(targetUri), ...pageUrlVariants(canonical)]);
    const task = this.#runVerification(sourceUri, targets, clientIp, slot)
      .then((outcome) => this.#completeMention(id, prior, outcome, decision))
      .finally(() => {
        this.#rechecking.delete(id);
        this.#inflight.delete(key);
        this.#leaveClient(clientKey);
        settle("stored");
      });
    this.#track(task);
    options.log({ event: "queued", protocol: "webmention", source: sourceUri, target: canonical });
    return { kind: "accepted", statusKey };
  }

  /** A 202 pointing at a stored mention's status URL (given one if it had none). */
  async #acceptedAs(existing: StoredPingback): Promise<MentionAnswer> {
    if (existing.statusKey) return { kind: "accepted", statusKey: existing.statusKey };
    const statusKey = randomBytes(18).toString("base64url");
    await this.#deps.store.requeue(existing.id, statusKey);
    const after = await this.#deps.store.find(existing.source, existing.target);
    return { kind: "accepted", statusKey: after?.statusKey ?? statusKey };
  }

  /** Applies a Webmention's verification: an update, a deletion, or a first verification. */
  async #completeMention(id: number, prior: Prior, outcome: Outcome, decision: Decision) {
    const { options, store } = this.#deps;
    if (outcome.ok || prior === null || prior.verification === "queued") {
      return this.#complete(id, outcome, decision);
    }
    try {
      const effect = failureEffect(outcome, prior, Date.now(), options.goneAfterMs);
      if (effect.kind === "delete") {
        await store.markDeleted(id, effect.reason);
        if (prior.verification === "verified" && prior.status === "approved") {
          this.#deps.onApproved();
        }
      } else if (effect.kind === "not-found-since") {
        await store.markGone(id, effect.since);
      } else if (effect.kind === "fail") {
        await this.#writes.complete(id, {
          ok: false,
          faultCode: outcome.faultCode,
          reason: effect.reason,
        });
      }
      options.log({ event: "verified", id, ok: false, effect: effect.kind });
    } catch (error) {
      options.log({ event: "store-error", id, message: (error as Error).message });
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
      const decision = row.moderatedAt ? { status: row.status, at: row.moderatedAt } : null;
      this.#track(task.then((outcome) => this.#complete(row.id, outcome, decision)));
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
    decision: Decision;
    clientIp: string;
    clientKey: string;
    slot: Promise<() => void>;
  }): Promise<PingAnswer> {
    const { options } = this.#deps;
    const started = performance.now();
    const task = this.#runVerification(ping.source, ping.targets, ping.clientIp, ping.slot);
    // The client's verification counts until it ends, answered in time or not.
    void task.finally(() => this.#leaveClient(ping.clientKey));
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
        // Trust is judged on the hops, once the fetch is done.
        status: ping.decision?.status ?? "pending",
        verification: "queued",
        clientIp: ping.clientIp,
        post: null,
        moderatedAt: ping.decision?.at ?? null,
      });
      this.#quota.added();
      this.#track(task.then((outcome) => this.#complete(id, outcome, ping.decision)));
      options.log({ event: "queued", source: ping.source, target: ping.target });
      return ANSWERS.queued;
    }
    if (!first.ok && first.refused?.reason === "blocked") {
      return this.#storeBlocked(ping.source, ping.target, ping.clientIp);
    }
    if (!first.ok && first.refused?.reason === "rate-limited") {
      return tooMany(first.refused.retryAfterSeconds ?? 5, "rate-limited-redirect-or-address");
    }
    if (!first.ok) {
      // Same answer, similar time, whatever failed: no port scanning through us.
      const wait = options.connectTimeoutMs - (performance.now() - started);
      if (first.faultCode === F.sourceNotFound && wait > 0) await sleep(wait);
      return faultFor(first.faultCode, first.refused?.reason, first.reason);
    }
    const status = this.#statusOf(first.hops, ping.decision);
    const { inserted } = await this.#writes.insert({
      source: ping.source,
      target: ping.target,
      status,
      verification: "verified",
      clientIp: ping.clientIp,
      post: first.post,
      moderatedAt: ping.decision?.at ?? null,
    });
    if (!inserted) return ANSWERS.duplicate;
    this.#quota.added();
    options.log({ event: "stored", source: ping.source, target: ping.target, status });
    if (status === "approved") this.#deps.onApproved();
    return ANSWERS.registered;
  }

  /** A person's decision, else approved when every hop was on one trusted host, else pending. */
  #statusOf(hops: readonly string[], decision: Decision): PingbackStatus {
    if (decision) return decision.status;
    return trustedChain(hops, this.#deps.hosts.trusted()) ? "approved" : "pending";
  }

  /** Blocked sources are stored as spam (so a re-ping is a fast 48) and never fetched again. */
  async #storeBlocked(
    source: string,
    target: string,
    clientIp: string,
    statusKey: string | null = null,
    protocol: "pingback" | "webmention" = "pingback",
  ): Promise<PingAnswer> {
    await this.#writes.insert({
      protocol,
      statusKey,
      source,
      target,
      // The owner said no to this host: spam, never fetched (the page lists it under spam).
      status: "spam",
      verification: "skipped",
      clientIp,
      post: null,
    });
    this.#quota.added();
    this.#deps.options.log({
      event: "blocked",
      level: "info",
      reason: "blocklist",
      source: logSafe(source),
      target,
      client: logSafe(clientIp),
    });
    return ANSWERS.registered;
  }

  #leaveClient(clientKey: string): void {
    const left = (this.#perClientInflight.get(clientKey) ?? 1) - 1;
    if (left > 0) this.#perClientInflight.set(clientKey, left);
    else this.#perClientInflight.delete(clientKey);
  }

  /**
   * Judges one hop of the source fetch before it is requested: the blocklist
   * (name, then resolved address), then the limits: a redirect target's
   * registrable domain (the first hop's was charged before the fetch) and the
   * resolved address of every hop.
   */
  async #checkHop(url: URL, hop: number): Promise<void> {
    const blocklist = this.#blocklist;
    if (!portAllowed(url, this.#deps.options.allowedPorts)) throw new HopRefusal("port", url.href);
    if (blocklist.blocksName(url.hostname)) throw new HopRefusal("blocked", url.href);
    const addresses = await resolveAddresses(this.#deps.resolveHop, url.hostname);
    if (await blocklist.blocksAddresses(addresses)) throw new HopRefusal("blocked", url.href);
    const charges: Array<[TokenBuckets, string]> = [];
    if (hop > 0) charges.push([this.#perSourceHost, siteKey(url.hostname)]);
    for (const key of new Set(addresses.map(addressKey))) {
      charges.push([this.#perSourceAddress, key]);
    }
    for (const [buckets, key] of charges) {
      const taken = buckets.take(key);
      if (!taken.ok) throw new HopRefusal("rate-limited", url.href, taken.retryAfterSeconds);
    }
  }

  async #runVerification(
    source: string,
    targets: ReadonlySet<string>,
    clientIp: string,
    slot: Promise<() => void>,
  ): Promise<Outcome> {
    const release = await slot;
    try {
      const fetched = await this.#deps.fetchSource(source, clientIp, {
        beforeHop: (url, hop) => this.#checkHop(url, hop),
      });
      if (!fetched.ok) return fetched;
      const hops = [...new Set([source, ...(fetched.redirects ?? []), fetched.source.url])];
      // Also for a fetcher that does not run the hop checks: judge the names it went through.
      const blockedHop = hops.find((hop) => this.#blocklist.blocksName(new URL(hop).hostname));
      if (blockedHop) {
        const refused = new HopRefusal("blocked", blockedHop);
        return { ok: false, faultCode: F.sourceNotFound, refused };
      }
      const checked = checkSource(fetched.source, targets);
      return checked.ok ? { ok: true, post: boundPost(checked.post), hops } : checked;
    } catch {
      return { ok: false, faultCode: F.sourceNotFound };
    } finally {
      release();
    }
  }

  async #complete(id: number, outcome: Outcome, decision: Decision): Promise<void> {
    const { options } = this.#deps;
    try {
      if (outcome.ok) {
        const status = this.#statusOf(outcome.hops, decision);
        await this.#writes.complete(id, { ok: true, status, post: outcome.post });
        if (status === "approved") this.#deps.onApproved();
      } else {
        const faultCode =
          outcome.refused?.reason === "rate-limited" ? F.accessDenied : outcome.faultCode;
        const reason =
          outcome.reason ??
          (outcome.refused ? `redirect-${outcome.refused.reason}` : undefined) ??
          (outcome.httpStatus !== undefined ? `http-${outcome.httpStatus}` : "no-source");
        await this.#writes.complete(id, { ok: false, faultCode, reason });
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
