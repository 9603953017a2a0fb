import { NetError } from "../net/errors.ts";
import type { HttpClient } from "../net/http-client.ts";
import { parseMethodResponse } from "../xmlrpc/decode.ts";
import { XmlRpcParseError } from "../xmlrpc/errors.ts";
import { encodePingbackPing } from "../xmlrpc/pingback.ts";
import type { MethodResponse } from "../xmlrpc/types.ts";
import {
  type Classification,
  classifyHttpStatus,
  classifyNetError,
  classifyResponse,
  classifyUnparsable,
  parseRetryAfter,
} from "./classify.ts";

export interface PingOptions {
  /** Cap on the response body. Default 256 KiB: a pingback answer is a short string. */
  maxResponseBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PingResult extends Classification {
  /** The parsed answer, when there was one. */
  response?: MethodResponse;
}

export const DEFAULT_PING_RESPONSE_BYTES = 256 * 1024;

/** POSTs pingback.ping(source, target) to `endpoint` and classifies the answer. Never throws NetError. */
export async function sendPing(
  client: HttpClient,
  endpoint: string,
  source: string,
  target: string,
  options: PingOptions = {},
): Promise<PingResult> {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_PING_RESPONSE_BYTES;
  let status: number;
  let body: Buffer;
  let retryAfter: string | undefined;
  try {
    const response = await client.request(endpoint, {
      method: "POST",
      headers: {
        "content-type": "text/xml; charset=utf-8",
        accept: "text/xml, application/xml, */*;q=0.1",
      },
      body: encodePingbackPing(source, target),
      maxBytes,
      overflow: "error",
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    status = response.status;
    body = response.body;
    const header = response.headers["retry-after"];
    retryAfter = Array.isArray(header) ? header[0] : header;
  } catch (error) {
    if (error instanceof NetError) return classifyNetError(error);
    throw error;
  }
  let parsed: MethodResponse;
  try {
    parsed = parseMethodResponse(body, { maxBytes });
  } catch (error) {
    if (!(error instanceof XmlRpcParseError)) throw error;
    if (status < 200 || status >= 300) return classifyHttpStatus(status);
    return classifyUnparsable(status, error.message);
  }
  return { ...classifyResponse(parsed, status, parseRetryAfter(retryAfter)), response: parsed };
}
