import { PINGBACK_FAULTS as F } from "@static-pingback/core/xmlrpc";

/** The faults a failed source verification ends in: no source (16) or no link (17). */
export type SourceFault = typeof F.sourceNotFound | typeof F.sourceHasNoLink;

/** What a pingback.ping call answers, before XML encoding. */
export type PingAnswer =
  | { kind: "success"; message: string }
  | {
      kind: "fault";
      code: number;
      message: string;
      retryAfterSeconds?: number;
      /** Why, for the log only (never sent): "no-link", "rate-limited-client", … */
      reason?: string;
    };

const fault = (code: number, message: string, reason: string): PingAnswer => ({
  kind: "fault",
  code,
  message,
  reason,
});

/** The fixed answers; none of them carries detail about the network or the site's unpublished pages. */
export const ANSWERS = {
  badSource: fault(
    F.sourceNotFound,
    "The source URI is not an absolute http(s) URI.",
    "bad-source-uri",
  ),
  noSource: fault(F.sourceNotFound, "The source URI does not exist.", "no-source"),
  portNotAllowed: fault(F.sourceNotFound, "The source URI does not exist.", "port-not-allowed"),
  noLink: fault(
    F.sourceHasNoLink,
    "The source URI does not contain a link to the target URI.",
    "no-link",
  ),
  tooComplex: fault(
    F.sourceHasNoLink,
    "The source page is too deeply nested or has too many elements to be searched for a link to the target URI.",
    "too-complex",
  ),
  badTarget: fault(
    F.targetNotFound,
    "The target URI is not an absolute http(s) URI.",
    "bad-target-uri",
  ),
  noTarget: fault(
    F.targetNotFound,
    "The specified target URI does not exist.",
    "target-not-in-manifest",
  ),
  notATarget: fault(
    F.targetInvalid,
    "The specified target URI cannot be used as a target.",
    "target-not-enabled-or-off-site",
  ),
  duplicate: fault(F.alreadyRegistered, "The pingback has already been registered.", "duplicate"),
  sameUri: fault(F.generic, "The source and target URIs are the same.", "same-uri"),
  selfPing: fault(F.generic, "Pingbacks from this site to itself are not accepted.", "self-ping"),
  unavailable: fault(F.generic, "The receiver is not ready; try again later.", "not-ready"),
  full: fault(
    F.generic,
    "The receiver is not accepting new pingbacks now; try again later.",
    "storage-quota",
  ),
  registered: { kind: "success", message: "Pingback registered. Thanks!" } as PingAnswer,
  queued: {
    kind: "success",
    message: "Pingback received; the source is being verified.",
  } as PingAnswer,
} as const;

/** Fault 49; `reason` names the limit, for the log. */
export function tooMany(retryAfterSeconds: number, reason: string): PingAnswer {
  return {
    kind: "fault",
    code: F.accessDenied,
    message: "Access denied: too many pingbacks, try again later.",
    retryAfterSeconds,
    reason,
  };
}

/**
 * The answer to a failed verification: `refused` names a hop check that stopped the fetch,
 * `scan` why the page was not searched to the end (a page over the scan limits is told so).
 */
export function faultFor(code: SourceFault, refused?: string, scan?: string): PingAnswer {
  const answer =
    code === F.sourceNotFound
      ? ANSWERS.noSource
      : scan === "too-complex"
        ? ANSWERS.tooComplex
        : ANSWERS.noLink;
  return refused && answer.kind === "fault" ? { ...answer, reason: `redirect-${refused}` } : answer;
}
