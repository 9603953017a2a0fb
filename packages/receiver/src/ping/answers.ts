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
  badSource: fault(16, "The source URI is not an absolute http(s) URI.", "bad-source-uri"),
  noSource: fault(16, "The source URI does not exist.", "no-source"),
  portNotAllowed: fault(16, "The source URI does not exist.", "port-not-allowed"),
  noLink: fault(17, "The source URI does not contain a link to the target URI.", "no-link"),
  badTarget: fault(32, "The target URI is not an absolute http(s) URI.", "bad-target-uri"),
  noTarget: fault(32, "The specified target URI does not exist.", "target-not-in-manifest"),
  notATarget: fault(
    33,
    "The specified target URI cannot be used as a target.",
    "target-not-enabled-or-off-site",
  ),
  duplicate: fault(48, "The pingback has already been registered.", "duplicate"),
  sameUri: fault(0, "The source and target URIs are the same.", "same-uri"),
  selfPing: fault(0, "Pingbacks from this site to itself are not accepted.", "self-ping"),
  unavailable: fault(0, "The receiver is not ready; try again later.", "not-ready"),
  full: fault(
    0,
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
    code: 49,
    message: "Access denied: too many pingbacks, try again later.",
    retryAfterSeconds,
    reason,
  };
}

/** The answer to a failed verification; `refused` names a hop check that stopped the fetch. */
export function faultFor(code: 16 | 17, refused?: string): PingAnswer {
  const answer = code === 16 ? ANSWERS.noSource : ANSWERS.noLink;
  return refused && answer.kind === "fault" ? { ...answer, reason: `redirect-${refused}` } : answer;
}
