import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type Socket } from "node:net";
import { Agent, buildConnector } from "undici";
import { type PrivateNetworkPolicy, vetAddress } from "./address-policy.ts";
import { BlockedAddressError } from "./errors.ts";

/** A resolver with the shape of `dns.lookup` (`all: true` answers an array). */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface GuardedAgentOptions {
  allowPrivateNetworks?: PrivateNetworkPolicy;
  /** How host names are resolved (every answer is still vetted). Default `dns.lookup`. */
  lookup?: LookupFunction;
  /** TCP + TLS connect timeout. */
  connectTimeoutMs?: number;
  /** Sockets kept per origin. */
  connectionsPerOrigin?: number;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net.connect that resolves every address of the host and refuses
 * the whole host if any of them is not allowed, so the socket can only ever be
 * opened to a vetted address (no second, separate resolution to race against).
 * Node's autoSelectFamily calls it with `all: true` and expects an array.
 */
export function createGuardedLookup(
  policy: PrivateNetworkPolicy,
  // Looked up at each call, not captured: a patched dns.lookup (tests) takes effect.
  resolve: LookupFunction = (hostname, options, callback) => dnsLookup(hostname, options, callback),
) {
  return function guardedLookup(
    hostname: string,
    options: LookupOptions,
    callback: LookupCallback,
  ): void {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const verdict = vetAddress(address, policy);
        if (!verdict.allowed) {
          return callback(new BlockedAddressError(hostname, address, verdict.range), []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(
          Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }),
          [],
        );
      callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici Agent whose connector refuses disallowed addresses three ways: a literal
 * IP host is vetted before connecting (net.connect skips `lookup` for literals),
 * resolved names go through the guarded lookup, and the connected socket's
 * remote address is checked again before a byte is written.
 */
export function createGuardedAgent(options: GuardedAgentOptions = {}): Agent {
  const policy = options.allowPrivateNetworks ?? false;
  const base = buildConnector({
    timeout: options.connectTimeoutMs ?? 10_000,
    allowH2: false,
    ...(policy === true
      ? options.lookup
        ? { lookup: createGuardedLookup(true, options.lookup) }
        : {}
      : { lookup: createGuardedLookup(policy, options.lookup) }),
  } as buildConnector.BuildOptions);

  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, "");
    const target = `${connectOptions.protocol}//${connectOptions.hostname}${connectOptions.port ? `:${connectOptions.port}` : ""}`;
    if (policy !== true && isIP(host)) {
      const verdict = vetAddress(host, policy);
      if (!verdict.allowed) {
        callback(new BlockedAddressError(target, host, verdict.range), null);
        return;
      }
    }
    base(connectOptions, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error("connect failed"), null);
        return;
      }
      if (policy !== true) {
        const remote = (socket as Socket).remoteAddress ?? "";
        const verdict = vetAddress(remote, policy);
        if (!verdict.allowed) {
          socket.destroy();
          callback(new BlockedAddressError(target, remote, verdict.range), null);
          return;
        }
      }
      callback(null, socket);
    });
  };

  return new Agent({
    connect,
    connections: options.connectionsPerOrigin ?? 4,
    keepAliveTimeout: 4_000,
  });
}
