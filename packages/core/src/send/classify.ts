import type { NetError } from "../net/errors.ts";
import { cleanLine } from "../text/clean-text.ts";
import { PINGBACK_FAULTS } from "../xmlrpc/pingback.ts";
import type { MethodResponse } from "../xmlrpc/types.ts";
import type { DiscoveryResult } from "./discover.ts";

/** What one attempt taught us about a pair. */
export interface Classification {
  status: "sent" | "already-registered" | "rejected" | "no-endpoint" | "failed" | "removed";
  message: string;
  faultCode?: number;
  httpStatus?: number;
  /** For `failed`: the earliest sensible retry, e.g. after a flood interval. */
  retryAfterMs?: number;
  /** Webmention: the status URL a 201/202 answer gave. */
  statusUrl?: string;
}

const MAX_MESSAGE = 500;

// Fault strings, error pages and error messages come from strangers and end up in
// state.json and a terminal (status, send): one clean line, so an ESC sequence cannot
// drive the terminal and a bidi override cannot disguise the message.
function clip(text: string): string {
  return cleanLine(text, MAX_MESSAGE - 1);
}

const PERMANENT_FAULTS = new Set<number>([
  PINGBACK_FAULTS.sourceNotFound,
  PINGBACK_FAULTS.sourceHasNoLink,
  PINGBACK_FAULTS.targetNotFound,
  PINGBACK_FAULTS.targetInvalid,
  PINGBACK_FAULTS.accessDenied,
]);
const TRANSIENT_FAULTS = new Set<number>([PINGBACK_FAULTS.generic, PINGBACK_FAULTS.upstreamError]);
/** WordPress's comment-flood fault: a second pingback to the site within 15 s. */
export const WORDPRESS_FLOOD_FAULT = 429;
const WORDPRESS_FLOOD_WAIT_MS = 16_000;

const PERMANENT_HTTP = new Set([401, 403, 404, 410]);

/** HTTP statuses that mean "try later": 408, 425, 429 and every 5xx. */
function isTransientHttp(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Longest Retry-After we honour; a later retry goes by the usual backoff. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * A Retry-After header (seconds, or an HTTP date) as milliseconds from `now`, capped
 * at an hour; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** The message of a fault whose code was not a safe integer (it counts as fault 0). */
function withOddCode(raw: string, faultString: string): string {
  return `fault code ${raw} is not an integer, taken as 0${faultString ? `: ${faultString}` : ""}`;
}

/**
 * A fault from the pingback server. A code that is not a safe integer is fault 0 (the
 * generic one), with the code as sent in the message. `retryAfterMs` comes from a Retry-After header:
 * with it, fault 49 ("access denied") is a rate limit to wait out (our receiver answers
 * so), not a refusal for good.
 */
export function classifyFault(
  faultCode: number,
  faultString: string,
  httpStatus?: number,
  retryAfterMs?: number,
): Classification {
  if (!Number.isSafeInteger(faultCode)) {
    return classifyFault(0, withOddCode(String(faultCode), faultString), httpStatus, retryAfterMs);
  }
  const where = httpStatus !== undefined && httpStatus !== 200 ? { httpStatus } : {};
  const message = clip(faultString) || `fault ${faultCode}`;
  if (faultCode === PINGBACK_FAULTS.alreadyRegistered) {
    return { status: "already-registered", faultCode, message, ...where };
  }
  // webmention.io: HTTP 401 with fault 0 when pingbacks are off for the account.
  if (httpStatus !== undefined && PERMANENT_HTTP.has(httpStatus)) {
    return { status: "rejected", faultCode, message: `HTTP ${httpStatus}: ${message}`, ...where };
  }
  if (faultCode === WORDPRESS_FLOOD_FAULT) {
    return {
      status: "failed",
      faultCode,
      message,
      retryAfterMs: WORDPRESS_FLOOD_WAIT_MS,
      ...where,
    };
  }
  if (faultCode === PINGBACK_FAULTS.accessDenied && retryAfterMs !== undefined) {
    return { status: "failed", faultCode, message, retryAfterMs, ...where };
  }
  if (TRANSIENT_FAULTS.has(faultCode)) return { status: "failed", faultCode, message, ...where };
  if (PERMANENT_FAULTS.has(faultCode)) return { status: "rejected", faultCode, message, ...where };
  // Other codes (e.g. -32601 "method not found" from the fault-code spec) will not change by retrying.
  return { status: "rejected", faultCode, message, ...where };
}

/** An HTTP answer that is not a usable XML-RPC response. */
export function classifyHttpStatus(status: number, detail?: string): Classification {
  const message = clip(`HTTP ${status}${detail ? `: ${detail}` : ""}`);
  if (status === 429 || isTransientHttp(status))
    return { status: "failed", httpStatus: status, message };
  return { status: "rejected", httpStatus: status, message };
}

/** The parsed answer to pingback.ping (`retryAfterMs` from its Retry-After header). */
export function classifyResponse(
  response: MethodResponse,
  httpStatus: number,
  retryAfterMs?: number,
): Classification {
  if (response.kind === "fault") {
    const text =
      response.faultCodeRaw === undefined
        ? response.faultString
        : withOddCode(response.faultCodeRaw, response.faultString);
    return classifyFault(response.faultCode, text, httpStatus, retryAfterMs);
  }
  if (httpStatus < 200 || httpStatus >= 300) return classifyHttpStatus(httpStatus);
  const value = response.value;
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return { status: "sent", message: clip(text) || "(empty success string)" };
}

/** A body that would not parse: an HTML error page, an empty 200, hostile XML. */
export function classifyUnparsable(httpStatus: number, why: string): Classification {
  if (httpStatus < 200 || httpStatus >= 300) return classifyHttpStatus(httpStatus, why);
  const where = httpStatus === 200 ? {} : { httpStatus };
  return { status: "failed", ...where, message: clip(`unusable response: ${why}`) };
}

/** Discovery found no endpoint: why, as an outcome (fetch failure, HTTP error or none). */
export function classifyDiscovery(found: DiscoveryResult): Classification {
  if (found.error) return classifyNetError(found.error);
  if (found.status !== undefined && found.status >= 400)
    return classifyHttpStatus(found.status, "fetching the target");
  return { status: "no-endpoint", message: clip(found.reason) };
}

/** A request that never got a complete answer. */
export function classifyNetError(error: NetError): Classification {
  switch (error.code) {
    case "blocked-address":
    case "unsupported-url":
    case "too-many-redirects":
    case "redirect-loop":
      return { status: "rejected", message: clip(error.message) };
    default:
      return { status: "failed", message: clip(error.message) };
  }
}
