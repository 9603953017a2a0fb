import { encodeMethodCall } from "./encode.ts";

/** The fault codes of the Pingback 1.0 spec. */
export const PINGBACK_FAULTS = {
  generic: 0,
  sourceNotFound: 16,
  sourceHasNoLink: 17,
  targetNotFound: 32,
  targetInvalid: 33,
  alreadyRegistered: 48,
  accessDenied: 49,
  upstreamError: 50,
} as const;

/** Server-level fault codes of the XML-RPC interoperability list (specs.xmlrpc.com fault codes). */
export const XMLRPC_FAULTS = {
  notWellFormed: -32700,
  methodNotFound: -32601,
  invalidParams: -32602,
} as const;

/** The body of `pingback.ping(source, target)`. */
export function encodePingbackPing(source: string, target: string): string {
  return encodeMethodCall("pingback.ping", [source, target]);
}
