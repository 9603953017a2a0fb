import { isIP } from "node:net";
import { type Dispatcher, request } from "undici";
import { assertValidPolicy, type PrivateNetworkPolicy, vetAddress } from "./address-policy.ts";
import {
  AbortedError,
  BlockedAddressError,
  findNetError,
  type NetError,
  NetworkError,
  RedirectLoopError,
  ResponseTooLargeError,
  TimeoutError,
  TooManyRedirectsError,
  UnsupportedContentTypeError,
  UnsupportedUrlError,
} from "./errors.ts";
import { createGuardedAgent, type LookupFunction } from "./guarded-agent.ts";
import { readCappedBody } from "./read-body.ts";
import { defaultUserAgent } from "./user-agent.ts";

export interface HttpClientOptions {
  /** Non-public addresses allowed anyway: false (default), true, or CIDR ranges. */
  allowPrivateNetworks?: PrivateNetworkPolicy;
  /** Replaces the whole User-Agent. Prefer `userAgentExtra`. */
  userAgent?: string;
  /** Added inside the default User-Agent's comment, e.g. "receiver". */
  userAgentExtra?: string;
  /** Overall deadline per request, redirects and body included. Default 10 s. */
  timeoutMs?: number;
  /** Connect (TCP + TLS) deadline per hop. Default min(timeoutMs, 5 s). */
  connectTimeoutMs?: number;
  /** Bytes read off the wire per response. Default 1 MiB. */
  maxBytes?: number;
  /** Bytes after decompression. Default 4 × maxBytes. */
  maxDecodedBytes?: number;
  /** Redirects followed per request; one more is an error. Default 5. */
  maxRedirects?: number;
  /** Ask for gzip/deflate/br (always decoded under maxDecodedBytes). Default true. */
  compression?: boolean;
  /** Sockets kept per origin. Default 4. */
  connectionsPerOrigin?: number;
  /** How host names are resolved (answers are still vetted). Default `dns.lookup`. */
  lookup?: LookupFunction;
}

export interface HttpRequestOptions {
  method?: "GET" | "HEAD" | "POST";
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  maxBytes?: number;
  maxDecodedBytes?: number;
  /** At a byte cap: return the prefix with `truncated: true`, or throw. Default "error". */
  overflow?: "truncate" | "error";
  maxRedirects?: number;
  /** Media types (lowercase, no parameters) accepted for the final response. */
  allowedContentTypes?: readonly string[];
  /** Decides from the final status and media type whether to read the body at all. */
  shouldReadBody?: (status: number, contentType: string) => boolean;
  /**
   * Called before each hop is requested (0: the request URL, then each redirect
   * target); throwing refuses the hop and the request fails with that error.
   */
  beforeHop?: (url: URL, hop: number) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface HttpResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Media type, lowercase, without parameters; "" when absent. */
  contentType: string;
  body: Buffer;
  /** The body was cut at a cap (only with overflow "truncate"). */
  truncated: boolean;
  /** The body was not read because shouldReadBody said no. */
  bodySkipped: boolean;
  /** Every URL that redirected, in order (the request URL first). */
  redirects: string[];
}

export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  readonly userAgent: string;
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function firstHeader(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/**
 * Checks a URL before any connection: http(s) only, no credentials, and a literal
 * IP host vetted as the address it denotes (WHATWG parsing has already turned
 * `0x7f.1` or `2130706433` into 127.0.0.1, so the canonical form is classified).
 */
export function checkFetchableUrl(raw: string, policy: PrivateNetworkPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsupportedUrlError(raw, "not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UnsupportedUrlError(raw, `scheme ${url.protocol} is not http or https`);
  }
  if (url.username || url.password) throw new UnsupportedUrlError(raw, "credentials in URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    const verdict = vetAddress(host, policy);
    if (!verdict.allowed) throw new BlockedAddressError(url.href, host, verdict.range);
  }
  url.hash = "";
  return url;
}

/**
 * The one HTTP client for third-party URLs (sender and receiver): overall timeout,
 * byte caps (raw and decoded), redirect cap with every hop re-checked, an
 * identifying User-Agent, and an address guard on the socket actually opened.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const policy = options.allowPrivateNetworks ?? false;
  assertValidPolicy(policy);
  const timeoutMs = positiveInteger("timeoutMs", options.timeoutMs, 10_000);
  const maxBytes = positiveInteger("maxBytes", options.maxBytes, 1024 * 1024);
  const defaults = {
    timeoutMs,
    maxBytes,
    maxDecodedBytes: positiveInteger("maxDecodedBytes", options.maxDecodedBytes, maxBytes * 4),
    maxRedirects: positiveInteger("maxRedirects", options.maxRedirects, 5),
  };
  const userAgent = options.userAgent ?? defaultUserAgent(options.userAgentExtra);
  const compression = options.compression ?? true;
  const agent = createGuardedAgent({
    allowPrivateNetworks: policy,
    connectTimeoutMs: positiveInteger(
      "connectTimeoutMs",
      options.connectTimeoutMs,
      Math.min(timeoutMs, 5_000),
    ),
    connectionsPerOrigin: positiveInteger("connectionsPerOrigin", options.connectionsPerOrigin, 4),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });

  async function requestOnce(
    startUrl: string,
    init: HttpRequestOptions,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const maxRedirects = init.maxRedirects ?? defaults.maxRedirects;
    const redirects: string[] = [];
    const visited = new Set<string>();
    let method = init.method ?? "GET";
    let body = init.body;
    const headers: Record<string, string> = {
      "user-agent": userAgent,
      "accept-encoding": compression ? "gzip, deflate, br" : "identity",
      ...lowercaseKeys(init.headers ?? {}),
    };
    let url = checkFetchableUrl(startUrl, policy);

    for (;;) {
      visited.add(url.href);
      await init.beforeHop?.(url, redirects.length);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          dispatcher: agent,
          method,
          headers,
          body: body ?? null,
          signal,
        });
      } catch (error) {
        throw mapError(error, url.href, signal, init.timeoutMs ?? defaults.timeoutMs);
      }
      const location = firstHeader(response.headers.location);
      if (REDIRECT_STATUSES.has(response.statusCode) && location && maxRedirects > 0) {
        await response.body.dump({ limit: 16 * 1024 }).catch(() => {});
        redirects.push(url.href);
        if (redirects.length > maxRedirects) {
          throw new TooManyRedirectsError(url.href, redirects, maxRedirects);
        }
        const next = checkFetchableUrl(resolveLocation(location, url), policy);
        if (visited.has(next.href)) throw new RedirectLoopError(next.href);
        if (next.origin !== url.origin) {
          delete headers.authorization;
          delete headers.cookie;
        }
        // Fetch semantics: 303 (and 301/302 after POST) become a body-less GET.
        if (
          response.statusCode === 303 ||
          ((response.statusCode === 301 || response.statusCode === 302) && method === "POST")
        ) {
          method = "GET";
          body = undefined;
          delete headers["content-type"];
        }
        url = next;
        continue;
      }

      const contentType = mediaType(response.headers["content-type"]);
      const allowed = init.allowedContentTypes;
      if (allowed && !allowed.includes(contentType)) {
        discard(response.body);
        throw new UnsupportedContentTypeError(url.href, contentType, allowed);
      }
      const result: HttpResponse = {
        url: url.href,
        status: response.statusCode,
        headers: response.headers,
        contentType,
        body: Buffer.alloc(0),
        truncated: false,
        bodySkipped: false,
        redirects,
      };
      if (
        method === "HEAD" ||
        (init.shouldReadBody && !init.shouldReadBody(result.status, contentType))
      ) {
        discard(response.body);
        result.bodySkipped = method !== "HEAD";
        return result;
      }
      const limits = {
        maxBytes: init.maxBytes ?? defaults.maxBytes,
        maxDecodedBytes: init.maxDecodedBytes ?? init.maxBytes ?? defaults.maxDecodedBytes,
        overflow: init.overflow ?? "error",
      } as const;
      const declared = Number(firstHeader(response.headers["content-length"]));
      if (limits.overflow === "error" && Number.isFinite(declared) && declared > limits.maxBytes) {
        discard(response.body);
        throw new ResponseTooLargeError(url.href, limits.maxBytes, "bytes");
      }
      try {
        const read = await readCappedBody(
          response.body,
          firstHeader(response.headers["content-encoding"]),
          limits,
          url.href,
        );
        result.body = read.body;
        result.truncated = read.truncated;
      } catch (error) {
        throw mapError(error, url.href, signal, init.timeoutMs ?? defaults.timeoutMs);
      }
      return result;
    }
  }

  return {
    userAgent,
    async request(url, init = {}) {
      const deadline = init.timeoutMs ?? defaults.timeoutMs;
      const timer = new AbortController();
      const handle = setTimeout(() => timer.abort(new TimeoutError(url, deadline)), deadline);
      const signal = init.signal ? AbortSignal.any([timer.signal, init.signal]) : timer.signal;
      try {
        return await requestOnce(url, init, signal);
      } finally {
        clearTimeout(handle);
      }
    },
    async close() {
      await agent.close();
    },
  };
}

/** Drops a body unread; undici then emits an abort error nobody needs to hear. */
function discard(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => {});
  body.destroy();
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new UnsupportedUrlError(location, `bad redirect Location from ${base.href}`);
  }
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

function mapError(error: unknown, url: string, signal: AbortSignal, timeoutMs: number): NetError {
  const known = findNetError(error);
  if (known) return known;
  if (signal.aborted) {
    const reason = findNetError(signal.reason);
    return reason ?? new AbortedError(url);
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (code && TIMEOUT_CODES.has(code)) return new TimeoutError(url, timeoutMs);
  return new NetworkError(url, error);
}
