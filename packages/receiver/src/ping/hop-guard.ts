import type { LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { StaticPingbackError } from "@static-pingback/core";
import type { LookupFunction } from "@static-pingback/core/net";
import { hostKey } from "../manifest/site-index.ts";
import { hostMatches } from "../options.ts";

/** Why a hop of a source fetch was refused before connecting. */
export type HopRefusalReason = "blocked" | "port" | "rate-limited";

/** Thrown by a hop check: the source fetch stops there, nothing is requested from that hop. */
export class HopRefusal extends StaticPingbackError {
  readonly code = "hop-refused";
  readonly reason: HopRefusalReason;
  readonly retryAfterSeconds: number | undefined;
  constructor(reason: HopRefusalReason, url: string, retryAfterSeconds?: number) {
    super(`hop refused (${reason}): ${url}`);
    this.name = "HopRefusal";
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** An address as compared: IPv4-mapped IPv6 as IPv4, IPv6 in canonical form. */
export function canonicalAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return mapped[1];
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return bare;
}

/** Resolves a host to addresses; [] when it does not resolve. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

/** Resolves a URL's host to its addresses (an IP literal is its own address); [] when it does not resolve. */
export async function resolveAddresses(resolve: Resolve, hostname: string): Promise<string[]> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return [canonicalAddress(host)];
  const addresses = await resolve(host);
  return [...new Set(addresses.map((a) => canonicalAddress(a.address)))];
}

/** `Resolve` on a dns.lookup-shaped function. */
export function resolverOf(lookup: LookupFunction): Resolve {
  return (hostname) =>
    new Promise((resolve) => {
      lookup(hostname, { all: true }, (error, addresses) => resolve(error ? [] : addresses));
    });
}

const BLOCKED_REFRESH_MS = 5 * 60_000;

/**
 * The blocklist judged on every hop of a source fetch: by host name, and by
 * address, so an IP literal or another name for a blocked host is blocked too.
 * Blocked names are resolved (a wildcard entry by its base name) and their
 * addresses kept for a few minutes.
 */
/** Blocked host patterns that may change while the receiver runs (see HostRules). */
export interface BlockedHosts {
  blocked(): readonly string[];
  /** Changes with the list: resolved addresses are looked up again. */
  readonly version: number;
}

export class Blocklist {
  readonly #hosts: BlockedHosts;
  readonly #resolve: Resolve;
  #addresses: Promise<ReadonlySet<string>> | undefined;
  #resolvedAt = 0;
  #resolvedVersion = -1;

  constructor(hosts: BlockedHosts | readonly string[], lookup: LookupFunction) {
    this.#hosts = Array.isArray(hosts)
      ? { blocked: () => hosts as readonly string[], version: 0 }
      : (hosts as BlockedHosts);
    this.#resolve = resolverOf(lookup);
  }

  get #patterns(): readonly string[] {
    return this.#hosts.blocked();
  }

  get empty(): boolean {
    return this.#patterns.length === 0;
  }

  /** By name only: no resolution, for the cheap check before any fetch. */
  blocksName(hostname: string): boolean {
    return hostMatches(hostKey(hostname), this.#patterns);
  }

  /** Whether any of `addresses` is an address of a blocked host. */
  async blocksAddresses(addresses: readonly string[]): Promise<boolean> {
    if (this.empty || addresses.length === 0) return false;
    const blocked = await this.#blockedAddresses();
    return addresses.some((address) => blocked.has(canonicalAddress(address)));
  }

  #blockedAddresses(): Promise<ReadonlySet<string>> {
    const stale = Date.now() - this.#resolvedAt > BLOCKED_REFRESH_MS;
    if (!this.#addresses || stale || this.#resolvedVersion !== this.#hosts.version) {
      this.#resolvedAt = Date.now();
      this.#resolvedVersion = this.#hosts.version;
      this.#addresses = Promise.all(
        this.#patterns.map((pattern) =>
          resolveAddresses(this.#resolve, pattern.replace(/^\*\./, "")),
        ),
      ).then((lists) => new Set(lists.flat()));
    }
    return this.#addresses;
  }
}

/**
 * Whether a fetch that went through `hops` (request URL, each redirect target,
 * the final URL) is from a trusted host: every hop on the same host name, and
 * that host trusted. A redirect to another host is not trusted.
 */
export function trustedChain(hops: readonly string[], trusted: readonly string[]): boolean {
  const hosts = new Set(hops.map((hop) => hostKey(new URL(hop).hostname)));
  const [only] = hosts;
  return hosts.size === 1 && only !== undefined && hostMatches(only, trusted);
}
