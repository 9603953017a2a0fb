/** What a pingback.ping call answers, before XML encoding. */
export type PingAnswer =
  | { kind: "success"; message: string }
  | { kind: "fault"; code: number; message: string; retryAfterSeconds?: number };

const fault = (code: number, message: string): PingAnswer => ({ kind: "fault", code, message });

/** The fixed answers; none of them carries detail about the network or the site's unpublished pages. */
export const ANSWERS = {
  badSource: fault(16, "The source URI is not an absolute http(s) URI."),
  noSource: fault(16, "The source URI does not exist."),
  noLink: fault(17, "The source URI does not contain a link to the target URI."),
  tooComplex: fault(
    17,
    "The source page is too deeply nested or has too many elements to be searched for a link to the target URI.",
  ),
  badTarget: fault(32, "The target URI is not an absolute http(s) URI."),
  noTarget: fault(32, "The specified target URI does not exist."),
  notATarget: fault(33, "The specified target URI cannot be used as a target."),
  duplicate: fault(48, "The pingback has already been registered."),
  sameUri: fault(0, "The source and target URIs are the same."),
  selfPing: fault(0, "Pingbacks from this site to itself are not accepted."),
  unavailable: fault(0, "The receiver is not ready; try again later."),
  registered: { kind: "success", message: "Pingback registered. Thanks!" } as PingAnswer,
  queued: {
    kind: "success",
    message: "Pingback received; the source is being verified.",
  } as PingAnswer,
} as const;

export function tooMany(retryAfterSeconds: number): PingAnswer {
  return {
    kind: "fault",
    code: 49,
    message: "Access denied: too many pingbacks, try again later.",
    retryAfterSeconds,
  };
}

/** The answer to a failed verification; a page over the scan limits is told so. */
export function faultFor(code: 16 | 17, reason?: string): PingAnswer {
  if (code === 16) return ANSWERS.noSource;
  return reason === "too-complex" ? ANSWERS.tooComplex : ANSWERS.noLink;
}
