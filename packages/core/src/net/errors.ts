import { StaticPingbackError } from "../errors/static-pingback-error.ts";
/** What went wrong with a guarded request, as a stable string callers can switch on. */
export type NetErrorCode =
  | "blocked-address"
  | "timeout"
  | "too-large"
  | "too-many-redirects"
  | "redirect-loop"
  | "unsupported-url"
  | "unsupported-content-type"
  | "aborted"
  | "network";

/** Base class of every error the guarded HTTP client throws. */
export class NetError extends StaticPingbackError {
  readonly code: NetErrorCode;
  /** The URL being fetched when it happened (the hop, after redirects). */
  readonly url: string;

  constructor(code: NetErrorCode, url: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NetError";
    this.code = code;
    this.url = url;
  }
}

/** The host resolved to (or is) an address the policy refuses: never connected to. */
export class BlockedAddressError extends NetError {
  readonly address: string;
  /** Why the address is refused, e.g. "loopback", "private", "cloud-metadata". */
  readonly range: string;

  constructor(url: string, address: string, range: string) {
    super(
      "blocked-address",
      url,
      `refused to connect to ${address} (${range} address) for ${url}; allow private networks to permit it (CLI: --allow-private, option: allowPrivateNetworks)`,
    );
    this.name = "BlockedAddressError";
    this.address = address;
    this.range = range;
  }
}

export class TimeoutError extends NetError {
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    super("timeout", url, `no complete response from ${url} within ${timeoutMs} ms`);
    this.name = "TimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

export class ResponseTooLargeError extends NetError {
  readonly limit: number;

  constructor(url: string, limit: number, what: "bytes" | "decoded bytes") {
    super("too-large", url, `response from ${url} exceeds ${limit} ${what}`);
    this.name = "ResponseTooLargeError";
    this.limit = limit;
  }
}

export class TooManyRedirectsError extends NetError {
  readonly redirects: readonly string[];

  constructor(url: string, redirects: readonly string[], max: number) {
    super(
      "too-many-redirects",
      url,
      `more than ${max} redirects starting at ${redirects[0] ?? url}`,
    );
    this.name = "TooManyRedirectsError";
    this.redirects = redirects;
  }
}

export class RedirectLoopError extends NetError {
  constructor(url: string) {
    super("redirect-loop", url, `redirect loop: ${url} was already visited`);
    this.name = "RedirectLoopError";
  }
}

export class UnsupportedUrlError extends NetError {
  constructor(url: string, reason: string) {
    super("unsupported-url", url, `cannot fetch ${url}: ${reason}`);
    this.name = "UnsupportedUrlError";
  }
}

export class UnsupportedContentTypeError extends NetError {
  readonly contentType: string;

  constructor(url: string, contentType: string, allowed: readonly string[]) {
    super(
      "unsupported-content-type",
      url,
      `${url} answered with content type "${contentType || "(none)"}", expected one of ${allowed.join(", ")}`,
    );
    this.name = "UnsupportedContentTypeError";
    this.contentType = contentType;
  }
}

export class AbortedError extends NetError {
  constructor(url: string) {
    super("aborted", url, `request to ${url} was aborted`);
    this.name = "AbortedError";
  }
}

/** DNS failure, refused connection, reset, TLS error…: the server could not be talked to. */
export class NetworkError extends NetError {
  constructor(url: string, cause: unknown) {
    const detail = cause instanceof Error ? describeCause(cause) : String(cause);
    super("network", url, `could not reach ${url}: ${detail}`, { cause });
    this.name = "NetworkError";
  }
}

/** "connect ECONNREFUSED 127.0.0.1:80", with the code in front only when the message lacks it. */
function describeCause(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const inner =
    error.cause instanceof Error && !error.message.includes(error.cause.message)
      ? ` (${error.cause.message})`
      : "";
  const prefix = code && !error.message.includes(code) ? `${code} ` : "";
  return `${prefix}${error.message}${inner}`;
}

/** Finds a NetError in an error's cause chain (undici sometimes wraps connector errors). */
export function findNetError(error: unknown): NetError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof NetError) return current;
    if (current instanceof AggregateError) {
      for (const inner of current.errors) if (inner instanceof NetError) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
