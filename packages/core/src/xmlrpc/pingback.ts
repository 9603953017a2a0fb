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

/** The body of `pingback.ping(source, target)`. */
export function encodePingbackPing(source: string, target: string): string {
  return encodeMethodCall("pingback.ping", [source, target]);
}
