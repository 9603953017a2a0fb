import { hostMatches } from "../options.ts";
import type { HostRule, PingbackStore } from "../store/types.ts";
import { loadBlocklist } from "./shared-blocklist.ts";

export interface HostRulesOptions {
  /** `--trusted` / `--blocked`: seeded into the store (an owner's rule for a host wins). */
  trusted: readonly string[];
  blocked: readonly string[];
  /** Shared blocklists (files or URLs), refreshed every `refreshMs`. */
  blocklists: readonly string[];
  /** Trust a host once the owner approved this many of its mentions; 0: never. */
  learnTrustAfter: number;
  /** How often rules are read again from the store (another process, the CLI, may edit them). */
  refreshMs: number;
  onError: (error: Error) => void;
}

/**
 * The trusted and blocked hosts as the receiver applies them: the store's rules (the
 * flags seed them; the page and the CLI edit them), shared blocklists, and hosts trusted
 * after enough approvals. Read again from the store every `refreshMs`.
 */
export class HostRules {
  readonly #store: PingbackStore;
  readonly #options: HostRulesOptions;
  #rules: HostRule[] = [];
  #shared: string[] = [];
  #trusted: readonly string[] = [];
  #blocked: readonly string[] = [];
  #version = 0;
  #timers: NodeJS.Timeout[] = [];

  constructor(store: PingbackStore, options: HostRulesOptions) {
    this.#store = store;
    this.#options = options;
    // Usable before load(): the flags alone.
    this.#trusted = options.trusted;
    this.#blocked = options.blocked;
  }

  /** Seeds the flags, reads the rules and the shared lists, then keeps them fresh. */
  async start(): Promise<void> {
    if (this.#timers.length > 0) return;
    for (const host of this.#options.trusted) {
      await this.#store.setHostRule?.(host, { rule: "trust", origin: "flag" }, true);
    }
    for (const host of this.#options.blocked) {
      await this.#store.setHostRule?.(host, { rule: "block", origin: "flag" }, true);
    }
    await this.reload();
    await this.#loadShared();
    const every = (ms: number, work: () => Promise<void>) => {
      const timer = setInterval(() => void work(), ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#options.refreshMs, () => this.reload());
    if (this.#options.blocklists.length > 0) every(3600_000, () => this.#loadShared());
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  /** Changes whenever the lists change (the blocklist's address cache follows it). */
  get version(): number {
    return this.#version;
  }

  trusted(): readonly string[] {
    return this.#trusted;
  }

  blocked(): readonly string[] {
    return this.#blocked;
  }

  rules(): readonly HostRule[] {
    return this.#rules;
  }

  isBlocked(host: string): boolean {
    return hostMatches(host, this.#blocked);
  }

  async set(host: string, rule: "trust" | "block" | null): Promise<void> {
    await this.#store.setHostRule?.(host, rule === null ? null : { rule, origin: "owner" });
    await this.reload();
  }

  /**
   * After the owner approved mentions: hosts with at least `learnTrustAfter` approved
   * mentions and no rule of their own become trusted ("learned").
   */
  async learnFrom(hosts: Iterable<string>): Promise<string[]> {
    const after = this.#options.learnTrustAfter;
    if (after <= 0) return [];
    const learned: string[] = [];
    for (const host of new Set(hosts)) {
      if (this.#rules.some((rule) => rule.host === host)) continue;
      const approved = await this.#store.count({ status: "approved", sourceHost: host });
      if (approved < after) continue;
      await this.#store.setHostRule?.(host, { rule: "trust", origin: "learned" }, true);
      learned.push(host);
    }
    if (learned.length > 0) await this.reload();
    return learned;
  }

  async reload(): Promise<void> {
    try {
      this.#rules = (await this.#store.hostRules?.()) ?? [];
    } catch (error) {
      this.#options.onError(error as Error);
      return;
    }
    this.#apply();
  }

  async #loadShared(): Promise<void> {
    const hosts = new Set<string>();
    for (const location of this.#options.blocklists) {
      try {
        for (const host of await loadBlocklist(location)) hosts.add(host);
      } catch (error) {
        // A list that cannot be read now keeps its last good copy.
        this.#options.onError(error as Error);
        return;
      }
    }
    this.#shared = [...hosts];
    this.#apply();
  }

  #apply(): void {
    const ruled = new Set(this.#rules.map((rule) => rule.host));
    const trusted = this.#rules.filter((rule) => rule.rule === "trust").map((rule) => rule.host);
    const blocked = this.#rules.filter((rule) => rule.rule === "block").map((rule) => rule.host);
    // Without a store that keeps rules, the flags apply as they are.
    if (!this.#store.hostRules) {
      trusted.push(...this.#options.trusted);
      blocked.push(...this.#options.blocked);
    }
    // An owner's trust of a host beats a shared list's block of it.
    const shared = this.#shared.filter((host) => !ruled.has(host));
    this.#trusted = trusted;
    this.#blocked = [...blocked, ...shared];
    this.#version++;
  }
}
