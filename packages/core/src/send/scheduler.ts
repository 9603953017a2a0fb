import { StaticPingbackError } from "../errors/static-pingback-error.ts";
import { InvalidSendOptionError } from "./invalid-send-option.ts";
/** The scheduler was stopped before the job could start. */
export class SchedulerStoppedError extends StaticPingbackError {
  readonly code = "scheduler-stopped";
  constructor() {
    super("stopped before this request could start");
    this.name = "SchedulerStoppedError";
  }
}

export interface SchedulerOptions {
  /** Requests in flight at once, across all hosts. */
  concurrency: number;
  /** Minimum time between the end of one ping to a host and the start of the next. */
  hostIntervalMs: number;
  now?: () => number;
  /**
   * Told when nothing is in flight and the next job waits (for a host's interval or a
   * retry's backoff): which host, and until when; undefined once something runs again.
   */
  onWait?(wait: SchedulerWait | undefined): void;
}

/** Why the scheduler is idle: the next job's host and when it may start (ms since epoch). */
export interface SchedulerWait {
  host: string;
  until: number;
  /** "interval": the host's spacing between pings; "retry": a retry's backoff. */
  reason: "interval" | "retry";
}

export interface JobSpec {
  /** Politeness key: the URL's host (with port). */
  host: string;
  /** Pings are spaced by hostIntervalMs; fetches are only serialised. */
  kind: "fetch" | "ping";
  /** Not started before this time (ms since epoch): in-run backoff. */
  notBefore?: number;
}

interface Job extends JobSpec {
  notBefore: number;
  start: () => void;
  cancel: (error: Error) => void;
}

/**
 * Hosts with pings queued, per slot, above which pings take precedence over fetches:
 * with two, a slot freed while one host sits out its interval finds another ready.
 */
const HOSTS_PER_SLOT = 2;

interface HostState {
  busy: boolean;
  /** When the last ping to this host ended; -Infinity before the first. */
  lastPingEnd: number;
  queue: Job[];
  /** How many of `queue` are pings. */
  pings: number;
}

/**
 * Runs jobs with a global concurrency limit and per-host politeness: one request
 * at a time per host, pings to a host at least hostIntervalMs apart, hosts in
 * parallel, round-robin across hosts so one busy host cannot starve the rest.
 */
export class PoliteScheduler {
  private readonly concurrency: number;
  private readonly hostIntervalMs: number;
  private readonly now: () => number;
  private readonly hosts = new Map<string, HostState>();
  private active = 0;
  private queued = 0;
  private cursor = 0;
  /** Hosts with at least one ping queued: the work that can fill slots right now. */
  private hostsWithPings = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private pumpPending = false;
  private readonly onWait: ((wait: SchedulerWait | undefined) => void) | undefined;
  private reportedWait: SchedulerWait | undefined;

  constructor(options: SchedulerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new InvalidSendOptionError(
        `concurrency must be a positive integer, got ${options.concurrency}`,
      );
    }
    if (!Number.isFinite(options.hostIntervalMs) || options.hostIntervalMs < 0) {
      throw new InvalidSendOptionError(
        `hostIntervalMs must be >= 0, got ${options.hostIntervalMs}`,
      );
    }
    this.concurrency = options.concurrency;
    this.hostIntervalMs = options.hostIntervalMs;
    this.now = options.now ?? Date.now;
    this.onWait = options.onWait;
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queued;
  }

  /** Queues `task`; it starts when a slot and its host allow. Rejects with SchedulerStoppedError after stop(). */
  run<T>(spec: JobSpec, task: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new SchedulerStoppedError());
    return new Promise<T>((resolve, reject) => {
      const host = this.hostState(spec.host);
      const job: Job = {
        ...spec,
        notBefore: spec.notBefore ?? 0,
        cancel: reject,
        start: () => {
          this.active += 1;
          host.busy = true;
          task()
            .then(resolve, reject)
            .finally(() => {
              this.active -= 1;
              host.busy = false;
              if (job.kind === "ping") host.lastPingEnd = this.now();
              this.pumpSoon();
            });
        },
      };
      host.queue.push(job);
      this.queued += 1;
      if (job.kind === "ping" && host.pings++ === 0) this.hostsWithPings += 1;
      this.pump();
    });
  }

  /** Starts nothing more; queued jobs reject with SchedulerStoppedError. In-flight ones finish. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const host of this.hosts.values()) {
      for (const job of host.queue.splice(0)) job.cancel(new SchedulerStoppedError());
    }
    this.queued = 0;
    this.hostsWithPings = 0;
    this.reportWait(undefined);
  }

  /**
   * Pumps once the promise callbacks of a finished job have run: a discovery's pair
   * then has its ping queued, and the ping goes before the next target's discovery.
   */
  private pumpSoon(): void {
    if (this.pumpPending) return;
    this.pumpPending = true;
    setImmediate(() => {
      this.pumpPending = false;
      this.pump();
    });
  }

  private hostState(name: string): HostState {
    let host = this.hosts.get(name);
    if (!host) {
      host = { busy: false, lastPingEnd: Number.NEGATIVE_INFINITY, queue: [], pings: 0 };
      this.hosts.set(name, host);
    }
    return host;
  }

  private readyAt(host: HostState, job: Job): number {
    const spacing = job.kind === "ping" ? host.lastPingEnd + this.hostIntervalMs : 0;
    return Math.max(job.notBefore, spacing);
  }

  /** The index of the first job of `host` that may start now (of `kinds`), or -1. */
  private readyJob(host: HostState, now: number, pingsOnly: boolean): number {
    for (let i = 0; i < host.queue.length; i++) {
      const job = host.queue[i] as Job;
      if (pingsOnly && job.kind !== "ping") continue;
      if (this.readyAt(host, job) <= now) return i;
    }
    return -1;
  }

  /**
   * Starts what may start, round-robin over hosts in each pass. Pings go first (a
   * discovered pair is pinged before more targets are discovered, so an interrupted run
   * still delivers) while enough hosts have pings queued to keep every slot busy through
   * their spacing; below that, fetches go in the same pass, so discoveries open more
   * hosts instead of leaving a few long per-host chains for the end of the run.
   */
  private pump(): void {
    if (this.stopped) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.now();
    const passes =
      this.hostsWithPings >= this.concurrency * HOSTS_PER_SLOT ? [true, false] : [false];
    for (const pingsOnly of passes) {
      const names = [...this.hosts.keys()];
      for (let step = 0; step < names.length && this.active < this.concurrency; step++) {
        const index = (this.cursor + step) % names.length;
        const name = names[index] as string;
        // A job started below may queue another and pump again, which can forget a host.
        const host = this.hosts.get(name);
        if (!host) continue;
        if (host.queue.length === 0) {
          // Forget idle hosts once their spacing has passed, so the scan stays short.
          if (!host.busy && host.lastPingEnd + this.hostIntervalMs <= now) this.hosts.delete(name);
          continue;
        }
        if (host.busy) continue;
        const chosen = this.readyJob(host, now, pingsOnly);
        if (chosen === -1) continue;
        const [job] = host.queue.splice(chosen, 1);
        this.queued -= 1;
        if ((job as Job).kind === "ping" && --host.pings === 0) this.hostsWithPings -= 1;
        this.cursor = index + 1;
        (job as Job).start();
      }
    }
    let earliest = Number.POSITIVE_INFINITY;
    let next: SchedulerWait | undefined;
    for (const [name, host] of this.hosts) {
      if (host.busy) continue;
      for (const job of host.queue) {
        const at = this.readyAt(host, job);
        if (at < earliest) {
          earliest = at;
          next = { host: name, until: at, reason: at > job.notBefore ? "interval" : "retry" };
        }
      }
    }
    if (this.active < this.concurrency && Number.isFinite(earliest)) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, earliest - now));
    }
    this.reportWait(this.active === 0 ? next : undefined);
  }

  /** Tells onWait about a change: a new wait, or the end of one. */
  private reportWait(wait: SchedulerWait | undefined): void {
    const before = this.reportedWait;
    if (
      before?.host === wait?.host &&
      before?.until === wait?.until &&
      before?.reason === wait?.reason
    )
      return;
    this.reportedWait = wait;
    this.onWait?.(wait);
  }
}
