import { lookup as dnsLookup } from "node:dns";
import { StaticPingbackError } from "@static-pingback/core";
import type { LookupFunction, PrivateNetworkPolicy } from "@static-pingback/core/net";
import type { AdminOptions } from "./admin/admin-options.ts";
import { resolveAdminOptions } from "./admin/admin-options.ts";
import type { AdminConfig } from "./admin/admin-route.ts";
import type { BucketRule } from "./limits/token-buckets.ts";
import type { ManifestSource } from "./manifest/manifest-source.ts";
import type { WebhookConfig } from "./notify/pending-webhook.ts";
import type { SourceFetcher } from "./ping/fetch-source.ts";
import type { PingbackStore } from "./store/types.ts";
import { SCAN_LIMITS } from "./verify/scan-page.ts";

/** Options of `createReceiver`. Only `site`, `manifest` and `store` are required. */
export interface ReceiverOptions {
  /** The site whose pages are targets, e.g. "https://example.com/". */
  site: string;
  /** The build manifest: a file path, its published URL, or a ManifestSource. */
  manifest: string | ManifestSource;
  store: PingbackStore;
  /** Path of the XML-RPC endpoint. Default "/xmlrpc". */
  path?: string;
  /**
   * Path of the Webmention endpoint (form POST of `source` and `target`); status
   * URLs are under `{webmentionPath}/status/`. Default "/webmention".
   */
  webmentionPath?: string;
  /**
   * A verified mention whose source answers 404 leaves the export only once the
   * 404 has persisted this long (ms) over re-sent Webmentions; 410 Gone and a
   * source without the link count at once. Default 24 hours.
   */
  goneAfterMs?: number;
  /** Path of the JF2 export. Default "/pingbacks.jf2". */
  exportPath?: string;
  /** Path of the health check. Default "/healthz". */
  healthPath?: string;
  /** Reload the manifest this often (ms); 0 never. Default 5 minutes. */
  manifestRefreshMs?: number;
  /** Before the first successful load, retry at most this often (ms). Default 5 s. */
  manifestRetryMs?: number;
  /** Verify sources on private/loopback addresses: tests and intranets only. Default false. */
  allowPrivateNetworks?: PrivateNetworkPolicy;
  /**
   * Ports a source (and each redirect hop) may be fetched on, or "any". Default
   * 80, 443 and 8080 (as WordPress); "any" when allowPrivateNetworks is set
   * (tests, intranets), unless given.
   */
  allowedPorts?: readonly number[] | "any";
  /** Accept pings whose source is on the site itself. Default false. */
  allowSelfPings?: boolean;
  /**
   * Source hosts whose pingbacks are approved at once ("example.com", "*.example.com"),
   * when every redirect hop stays on that same host.
   */
  trusted?: readonly string[];
  /**
   * Source hosts whose pingbacks are stored as spam, without fetching the source.
   * Judged on every redirect hop, by name and by resolved address.
   */
  blocked?: readonly string[];
  /** Largest request body, bytes. Default 64 KiB. */
  maxRequestBytes?: number;
  /** Deadline for reading the request body, ms. Default 5 s. */
  requestBodyTimeoutMs?: number;
  /** Longest source or target URI. Default and maximum 2048 (the renderer's bound). */
  maxUriLength?: number;
  /**
   * Answer within this time (ms): a verification still running then is
   * answered "queued" and finishes in the background. Default 2000 (WordPress waits 3 s).
   */
  answerDeadlineMs?: number;
  /** Overall deadline of the source fetch, ms. Default 10 s. */
  sourceTimeoutMs?: number;
  /** TCP/TLS connect deadline, ms. Default 1500 (below the answer deadline). */
  connectTimeoutMs?: number;
  /**
   * Bytes of the source read. Default 150 KiB, what WordPress reads: only that
   * much (decoded) is searched for the link in any case.
   */
  maxSourceBytes?: number;
  /** Bytes after decompression. Default: `maxSourceBytes`. */
  maxDecodedSourceBytes?: number;
  /** Redirects followed, each re-checked. Default 3. */
  maxRedirects?: number;
  /** Token bucket per client IP (IPv6: per /64), spent only by pings that would fetch. Default 10 burst, 1 per 6 s. */
  perClient?: BucketRule;
  /**
   * Token bucket per source site: the registrable domain of the source host, charged
   * again for every redirect hop's. Default 5 burst, 1 per 10 s.
   */
  perSourceHost?: BucketRule;
  /**
   * Token bucket per resolved source address (IPv6 by /64), charged on every hop.
   * Looser than per site: many small sites share a host's address. Default 10 burst, 1 per 5 s.
   */
  perSourceAddress?: BucketRule;
  /** Verifications one client (IPv6: its /64) may have running or waiting. Default 2. */
  maxVerificationsPerClient?: number;
  /** Source fetches at once. Default 8. */
  maxConcurrentVerifications?: number;
  /** Verifications waiting for a slot; beyond that fault 49. Default 32. */
  maxQueuedVerifications?: number;
  /** Rows whose verification failed are deleted after this long (ms), unless moderated; 0 keeps them. Default 7 days. */
  failedRetentionMs?: number;
  /** Storage quota: at most this many stored pingbacks; past it new pings get fault 0 and a `quota-reached` log line. 0: no quota. Default 100,000. */
  maxStoredPingbacks?: number;
  /** POSTed (debounced) when a pingback is approved, so the static site rebuilds. */
  rebuildHook?: { url: string; debounceMs?: number };
  /** How the source is fetched; default: core's guarded client. For tests and other runtimes. */
  fetchSource?: SourceFetcher;
  /** How host names are resolved (fetches, blocklist, limits); default `dns.lookup`. */
  lookup?: LookupFunction;
  /** Receives operational events (no request bodies). Default: none. */
  log?: (event: ReceiverEvent) => void;
  /**
   * Shared blocklists (files or http(s) URLs, one host or `*.pattern` a line), read at start
   * and every hour; their hosts are blocked unless the owner trusts them.
   */
  blocklists?: readonly string[];
  /**
   * Rejected, spam and deleted mentions are erased after this long (ms) since their last
   * change; 0 (default) keeps them, so moderation history stays.
   */
  declinedRetentionMs?: number;
  /** Trust a host once this many of its mentions were approved by the owner; 0 (default): never. */
  learnTrustAfter?: number;
  /** The moderation page in the browser; off (404) unless given a token. */
  admin?: AdminOptions;
  /**
   * POSTs new pending mentions as signed JSON (see the README for the signature recipe),
   * batched: every `intervalMs` (default 30 s) at most one round of POSTs.
   */
  webhook?: { url: string; secret: string; intervalMs?: number };
}

export interface ReceiverEvent {
  event: string;
  [field: string]: unknown;
}

export interface ResolvedReceiverOptions
  extends Required<
    Omit<
      ReceiverOptions,
      | "rebuildHook"
      | "fetchSource"
      | "log"
      | "manifest"
      | "store"
      | "lookup"
      | "allowedPorts"
      | "admin"
      | "webhook"
    >
  > {
  siteUrl: URL;
  allowedPorts: ReadonlySet<number> | "any";
  manifest: string | ManifestSource;
  store: PingbackStore;
  rebuildHook: { url: string; debounceMs: number } | undefined;
  admin: AdminConfig | undefined;
  webhook: WebhookConfig | undefined;
  fetchSource: SourceFetcher | undefined;
  /** The resolver given, or undefined for `dns.lookup`. */
  lookup: LookupFunction | undefined;
  resolve: LookupFunction;
  log: (event: ReceiverEvent) => void;
}

export class ReceiverOptionsError extends StaticPingbackError {
  readonly code = "invalid-receiver-option";
  constructor(message: string) {
    super(`static-pingback receiver: ${message}`);
    this.name = "ReceiverOptionsError";
  }
}

function fail(message: string): never {
  throw new ReceiverOptionsError(message);
}

function count(
  name: string,
  value: number | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    fail(`${name} must be an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function rule(name: string, value: BucketRule | undefined, fallback: BucketRule): BucketRule {
  if (value === undefined) return fallback;
  if (
    typeof value !== "object" ||
    !(value.capacity >= 1) ||
    !(value.refillPerSecond >= 0) ||
    !Number.isFinite(value.capacity) ||
    !Number.isFinite(value.refillPerSecond)
  ) {
    fail(`${name} must be { capacity >= 1, refillPerSecond >= 0 }, got ${JSON.stringify(value)}`);
  }
  return value;
}

function httpUrl(name: string, value: unknown): URL {
  if (typeof value !== "string") fail(`${name} must be an absolute http(s) URL string`);
  let url: URL;
  try {
    url = new URL(value as string);
  } catch {
    return fail(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(`${name} must be http or https, got ${JSON.stringify(value)}`);
  }
  return url;
}

function routePath(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !value.startsWith("/")) {
    fail(`${name} must be a path starting with "/", got ${JSON.stringify(value)}`);
  }
  return value;
}

function hostPatterns(name: string, value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`${name} must be an array of host names`);
  return value.map((host) => {
    if (typeof host !== "string" || !/^(\*\.)?[a-z0-9.-]+$/i.test(host.trim())) {
      fail(
        `${name} entries are host names like "example.com" or "*.example.com", got ${JSON.stringify(host)}`,
      );
    }
    return host.trim().toLowerCase();
  });
}

/** What WordPress fetches a pingback source on. */
export const DEFAULT_ALLOWED_PORTS: readonly number[] = [80, 443, 8080];

function portList(
  value: readonly number[] | "any" | undefined,
  privateAllowed: boolean,
): ReadonlySet<number> | "any" {
  if (value === undefined) return privateAllowed ? "any" : new Set(DEFAULT_ALLOWED_PORTS);
  if (value === "any") return "any";
  if (!Array.isArray(value) || value.length === 0) {
    fail(`allowedPorts must be "any" or a non-empty list of ports, got ${JSON.stringify(value)}`);
  }
  for (const port of value) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      fail(`allowedPorts entries must be ports 1-65535, got ${JSON.stringify(port)}`);
    }
  }
  return new Set(value);
}

/** Whether a URL's port (the scheme's default when absent) may be fetched. */
export function portAllowed(url: URL, allowed: ReadonlySet<number> | "any"): boolean {
  if (allowed === "any") return true;
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return allowed.has(port);
}

/** Validates options at the door, with messages that say what to fix. */
function webhookSecret(secret: unknown): string {
  if (typeof secret !== "string" || secret.trim().length < 16) {
    fail("webhook.secret must be at least 16 characters (e.g. `openssl rand -hex 32`)");
  }
  return secret.trim();
}

export function resolveReceiverOptions(options: ReceiverOptions): ResolvedReceiverOptions {
  if (typeof options !== "object" || options === null) fail("options must be an object");
  const siteUrl = httpUrl("site", options.site);
  if (!siteUrl.pathname.endsWith("/")) siteUrl.pathname += "/";
  if (options.manifest === undefined)
    fail("manifest is required (a file path or the published manifest URL)");
  if (!options.store) fail("store is required (e.g. new SqlitePingbackStore(path))");
  const answerDeadlineMs = count("answerDeadlineMs", options.answerDeadlineMs, 2000, 1);
  if (answerDeadlineMs >= 3000)
    fail("answerDeadlineMs must stay under 3000: WordPress gives up after 3 s");
  const maxSourceBytes = count("maxSourceBytes", options.maxSourceBytes, SCAN_LIMITS.bytes, 1024);
  const rebuildHook = options.rebuildHook
    ? {
        url: httpUrl("rebuildHook.url", options.rebuildHook.url).href,
        debounceMs: count("rebuildHook.debounceMs", options.rebuildHook.debounceMs, 30_000),
      }
    : undefined;
  const requestBodyTimeoutMs = count("requestBodyTimeoutMs", options.requestBodyTimeoutMs, 5000, 1);
  const policy = options.allowPrivateNetworks ?? false;
  if (typeof policy !== "boolean" && !Array.isArray(policy)) {
    fail("allowPrivateNetworks must be true, false or a list of CIDR ranges");
  }
  return {
    site: siteUrl.href,
    siteUrl,
    manifest: options.manifest,
    store: options.store,
    path: routePath("path", options.path, "/xmlrpc"),
    webmentionPath: routePath("webmentionPath", options.webmentionPath, "/webmention"),
    goneAfterMs: count("goneAfterMs", options.goneAfterMs, 24 * 3600_000),
    exportPath: routePath("exportPath", options.exportPath, "/pingbacks.jf2"),
    healthPath: routePath("healthPath", options.healthPath, "/healthz"),
    manifestRefreshMs: count("manifestRefreshMs", options.manifestRefreshMs, 5 * 60_000),
    manifestRetryMs: count("manifestRetryMs", options.manifestRetryMs, 5000),
    allowPrivateNetworks: policy,
    allowedPorts: portList(options.allowedPorts, policy !== false),
    allowSelfPings: options.allowSelfPings === true,
    trusted: hostPatterns("trusted", options.trusted),
    blocked: hostPatterns("blocked", options.blocked),
    blocklists: [...(options.blocklists ?? [])],
    learnTrustAfter: count("learnTrustAfter", options.learnTrustAfter, 0),
    declinedRetentionMs: count("declinedRetentionMs", options.declinedRetentionMs, 0),
    maxRequestBytes: count("maxRequestBytes", options.maxRequestBytes, 64 * 1024, 256),
    requestBodyTimeoutMs,
    maxUriLength: count("maxUriLength", options.maxUriLength, 2048, 16, 2048),
    answerDeadlineMs,
    sourceTimeoutMs: count("sourceTimeoutMs", options.sourceTimeoutMs, 10_000, 1),
    connectTimeoutMs: count("connectTimeoutMs", options.connectTimeoutMs, 1500, 1),
    maxSourceBytes,
    maxDecodedSourceBytes: count(
      "maxDecodedSourceBytes",
      options.maxDecodedSourceBytes,
      maxSourceBytes,
      1024,
    ),
    maxRedirects: count("maxRedirects", options.maxRedirects, 3),
    perClient: rule("perClient", options.perClient, { capacity: 10, refillPerSecond: 1 / 6 }),
    perSourceHost: rule("perSourceHost", options.perSourceHost, {
      capacity: 5,
      refillPerSecond: 0.1,
    }),
    perSourceAddress: rule("perSourceAddress", options.perSourceAddress, {
      capacity: 10,
      refillPerSecond: 0.2,
    }),
    maxVerificationsPerClient: count(
      "maxVerificationsPerClient",
      options.maxVerificationsPerClient,
      2,
      1,
    ),
    maxConcurrentVerifications: count(
      "maxConcurrentVerifications",
      options.maxConcurrentVerifications,
      8,
      1,
    ),
    maxQueuedVerifications: count("maxQueuedVerifications", options.maxQueuedVerifications, 32),
    failedRetentionMs: count("failedRetentionMs", options.failedRetentionMs, 7 * 24 * 3600_000),
    maxStoredPingbacks: count("maxStoredPingbacks", options.maxStoredPingbacks, 100_000),
    rebuildHook,
    admin: resolveAdminOptions(options.admin, siteUrl, requestBodyTimeoutMs, fail),
    webhook: options.webhook
      ? {
          url: httpUrl("webhook.url", options.webhook.url).href,
          secret: webhookSecret(options.webhook.secret),
          intervalMs: count("webhook.intervalMs", options.webhook.intervalMs, 30_000, 1),
        }
      : undefined,
    fetchSource: options.fetchSource,
    lookup: options.lookup,
    resolve: options.lookup ?? ((host, opts, callback) => dnsLookup(host, opts, callback)),
    log: options.log ?? (() => {}),
  };
}

/** Whether `host` matches one of the patterns ("example.com", "*.example.com"). */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((pattern) =>
    pattern.startsWith("*.") ? name.endsWith(pattern.slice(1)) : name === pattern,
  );
}
