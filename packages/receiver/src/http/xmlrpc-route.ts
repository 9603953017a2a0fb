import {
  encodeFault,
  encodeMethodResponse,
  PINGBACK_FAULTS,
  parseMethodCall,
  XMLRPC_FAULTS,
} from "@static-pingback/core/xmlrpc";
import type { PingAnswer } from "../ping/answers.ts";
import { readBodyCapped } from "./read-body.ts";
import type { ReceiverRequest, ReceiverResponse } from "./types.ts";

/** A pingback.ping call has about a dozen elements; anything far beyond is not one. */
const XML_LIMITS = { maxDepth: 16, maxElements: 256 };

/** Per the spec, every answer is XML-RPC with HTTP 200, faults included. */
function xml(body: string, extra: Record<string, string> = {}): ReceiverResponse {
  return {
    status: 200,
    headers: { "content-type": "text/xml; charset=utf-8", ...extra },
    body,
  };
}

export function faultResponse(code: number, message: string, extra?: Record<string, string>) {
  return xml(encodeFault(code, message), extra);
}

export function answerResponse(answer: PingAnswer): ReceiverResponse {
  if (answer.kind === "success") return xml(encodeMethodResponse(answer.message));
  const extra: Record<string, string> = {};
  if (answer.retryAfterSeconds !== undefined)
    extra["retry-after"] = String(answer.retryAfterSeconds);
  return faultResponse(answer.code, answer.message, extra);
}

export interface XmlRpcRouteOptions {
  maxRequestBytes: number;
  requestBodyTimeoutMs: number;
  ping: (source: string, target: string, clientAddress: string) => Promise<PingAnswer>;
  onError?: (error: Error) => void;
  /** Told of every request refused before pingback.ping runs (fault code and reason). */
  onRefused?: (fault: number, reason: string) => void;
}

/**
 * `POST /xmlrpc`. The content type is not checked: real senders use
 * `text/xml`, `application/xml` and even form encoding with raw XML.
 * Fault codes from the XML-RPC interoperability list (core's XMLRPC_FAULTS): -32700 not
 * well formed (or too large or too slow), -32601 unknown method, -32602 bad parameters.
 */
export async function handleXmlRpc(
  request: ReceiverRequest,
  options: XmlRpcRouteOptions,
): Promise<ReceiverResponse> {
  if (request.method !== "POST") {
    return {
      status: 405,
      headers: { allow: "POST", "content-type": "text/plain; charset=utf-8" },
      body: "XML-RPC server accepts POST requests only.\n",
    };
  }
  const declared = request.header("content-length");
  const refuse = (code: number, reason: string) => options.onRefused?.(code, reason);
  if (declared !== null && Number(declared) > options.maxRequestBytes) {
    refuse(XMLRPC_FAULTS.notWellFormed, "request-too-large");
    return faultResponse(XMLRPC_FAULTS.notWellFormed, "parse error. request too large", {
      connection: "close",
    });
  }
  const read = await readBodyCapped(
    request.body,
    options.maxRequestBytes,
    options.requestBodyTimeoutMs,
  );
  if (!read.ok) {
    const what = read.reason === "too-large" ? "request too large" : "request too slow";
    refuse(
      XMLRPC_FAULTS.notWellFormed,
      read.reason === "too-large" ? "request-too-large" : "request-too-slow",
    );
    return faultResponse(XMLRPC_FAULTS.notWellFormed, `parse error. ${what}`, {
      connection: "close",
    });
  }
  let call: ReturnType<typeof parseMethodCall>;
  try {
    call = parseMethodCall(read.bytes, { ...XML_LIMITS, maxBytes: options.maxRequestBytes });
  } catch {
    refuse(XMLRPC_FAULTS.notWellFormed, "not-well-formed");
    return faultResponse(XMLRPC_FAULTS.notWellFormed, "parse error. not well formed");
  }
  if (call.methodName !== "pingback.ping") {
    refuse(XMLRPC_FAULTS.methodNotFound, "unknown-method");
    return faultResponse(XMLRPC_FAULTS.methodNotFound, "server error. requested method not found");
  }
  const [source, target] = call.params;
  if (call.params.length !== 2 || typeof source !== "string" || typeof target !== "string") {
    refuse(XMLRPC_FAULTS.invalidParams, "invalid-parameters");
    return faultResponse(
      XMLRPC_FAULTS.invalidParams,
      "server error. invalid method parameters: pingback.ping takes two strings, sourceURI and targetURI",
    );
  }
  try {
    return answerResponse(await options.ping(source.trim(), target.trim(), request.clientAddress));
  } catch (error) {
    // A store failure (disk full, locked) is still answered in XML-RPC, never as a 500.
    options.onError?.(error as Error);
    return faultResponse(
      PINGBACK_FAULTS.generic,
      "The pingback could not be recorded; try again later.",
    );
  }
}
