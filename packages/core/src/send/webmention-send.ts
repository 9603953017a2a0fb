import { NetError } from "../net/errors.ts";
import type { HttpClient, HttpResponse } from "../net/http-client.ts";
import { cleanLine } from "../text/clean-text.ts";
import {
  type Classification,
  classifyHttpStatus,
  classifyNetError,
  parseRetryAfter,
} from "./classify.ts";

/**
 * Sending a Webmention (W3C Recommendation section 3.1.3): a form POST of
 * `source` and `target` to the endpoint, whose own query string stays in its URL.
 */

export interface WebmentionSendOptions {
  /** Cap on the answer read (only its status and headers matter). Default 64 KiB. */
  maxResponseBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `statusUrl`: from `Location` on a 201/202, where the receiver reports its progress. */
export type WebmentionResult = Classification;

export const DEFAULT_WEBMENTION_RESPONSE_BYTES = 64 * 1024;

/** 307 and 308 repeat the POST; a receiver moving its endpoint within its host may use them. */
const REPEATING_REDIRECTS = new Set([307, 308]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_HOPS = 3;

/** `source=…&target=…`, form-encoded (the endpoint's query is not moved here). */
export function webmentionBody(source: string, target: string): string {
  return new URLSearchParams({ source, target }).toString();
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** An http(s) status URL from `Location`, resolved against the endpoint; else undefined. */
function statusUrlOf(response: HttpResponse): string | undefined {
  const location = header(response, "location");
  if (location === undefined || location.length > 2_048) return undefined;
  try {
    const url = new URL(location, response.url);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Any 2xx is success; 400 and other 4xx refuse for good; 408, 425, 429 and 5xx are transient. */
export function classifyWebmentionAnswer(response: HttpResponse): WebmentionResult {
  const status = response.status;
  if (status >= 200 && status < 300) {
    const statusUrl = status === 201 || status === 202 ? statusUrlOf(response) : undefined;
    const words = status === 202 ? "accepted, to be processed" : "accepted";
    return {
      status: "sent",
      message: cleanLine(
        `HTTP ${status} ${words}${statusUrl ? `; status at ${statusUrl}` : ""}`,
        499,
      ),
      ...(status === 200 ? {} : { httpStatus: status }),
      ...(statusUrl ? { statusUrl } : {}),
    };
  }
  const detail =
    response.contentType.startsWith("text/") || response.contentType.endsWith("json")
      ? cleanLine(response.body.toString("utf8"), 200)
      : "";
  const classified = classifyHttpStatus(status, detail || undefined);
  // classifyHttpStatus settles 4xx as rejected and 408/425/429/5xx as failed.
  const retryAfterMs = parseRetryAfter(header(response, "retry-after"));
  return classified.status === "failed" && retryAfterMs !== undefined
    ? { ...classified, retryAfterMs }
    : classified;
}

/**
 * POSTs the Webmention and classifies the answer. Redirects are followed only for
 * 307/308 within the endpoint's host (the POST is repeated as it was); any other
 * redirect is not followed and refuses the pair, so a body is never moved to
 * another host or turned into a GET. Never throws NetError.
 */
export async function sendWebmention(
  client: HttpClient,
  endpoint: string,
  source: string,
  target: string,
  options: WebmentionSendOptions = {},
): Promise<WebmentionResult> {
  const body = webmentionBody(source, target);
  let url = endpoint;
  const host = safeHost(endpoint);
  try {
    for (let hop = 0; ; hop++) {
      const response = await client.request(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "text/html, application/json, */*;q=0.1",
        },
        body,
        maxRedirects: 0,
        maxBytes: options.maxResponseBytes ?? DEFAULT_WEBMENTION_RESPONSE_BYTES,
        overflow: "truncate",
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (!REDIRECTS.has(response.status)) return classifyWebmentionAnswer(response);
      const next = statusUrlOf(response);
      const sameHost = next !== undefined && safeHost(next) === host;
      if (!REPEATING_REDIRECTS.has(response.status) || !sameHost || hop + 1 >= MAX_HOPS) {
        const where = next ? ` to ${next}` : "";
        const why = !sameHost
          ? "another host"
          : hop + 1 >= MAX_HOPS
            ? "too many hops"
            : "not a 307/308";
        return {
          status: "rejected",
          httpStatus: response.status,
          message: cleanLine(
            `HTTP ${response.status}: the endpoint redirected the POST${where}; not followed (${why})`,
            499,
          ),
        };
      }
      url = next as string;
    }
  } catch (error) {
    if (error instanceof NetError) return classifyNetError(error);
    throw error;
  }
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
