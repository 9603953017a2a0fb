/** What a Webmention request is answered, before HTTP encoding. */
export type MentionAnswer =
  /** 202: verification runs in the background; `statusKey` names the status URL. */
  | { kind: "accepted"; statusKey: string }
  /** 400: refused at once, with a short reason for the sender. */
  | { kind: "refused"; message: string; reason: string }
  /** 429 (a limit) or 503 (not ready), with Retry-After. */
  | {
      kind: "busy";
      status: 429 | 503;
      message: string;
      retryAfterSeconds: number;
      reason: string;
    };

export const refuse = (message: string, reason: string): MentionAnswer => ({
  kind: "refused",
  message,
  reason,
});

/** 429 when `status` is omitted; `reason` names the limit, for the log. */
export const busy = (retryAfterSeconds: number, reason: string, status: 429 | 503 = 429) =>
  ({
    kind: "busy",
    status,
    message:
      status === 429
        ? "Too many Webmentions; try again later."
        : "The receiver is not ready; try again later.",
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
    reason,
  }) as MentionAnswer;

const noTarget = refuse(
  "target is not a page of this site that accepts Webmentions",
  "target-not-accepted",
);

/** The fixed refusals: short, and nothing about the network or unpublished pages. */
export const REFUSALS = {
  "bad-source": refuse("source must be an absolute http(s) URL", "bad-source-uri"),
  "bad-target": refuse("target must be an absolute http(s) URL", "bad-target-uri"),
  "same-uri": refuse("source and target are the same URL", "same-uri"),
  "not-a-page": noTarget,
  "not-a-target": noTarget,
  "self-ping": refuse("source is on this site; mentions of itself are not accepted", "self-ping"),
  port: refuse("source is on a port this receiver does not fetch", "port-not-allowed"),
  full: refuse("this receiver is not accepting new mentions now", "storage-quota"),
} as const;
