import type { VerificationState } from "../store/types.ts";

/** What a failed re-verification of a known mention does to it. */
export type FailureEffect =
  /** Out of the export, kept as `deleted` with the reason. */
  | { kind: "delete"; reason: "gone" | "link-removed" | "not-found" }
  /** A 404 not yet persisting `goneAfterMs`: stays exported; `since` is when it began. */
  | { kind: "not-found-since"; since: string }
  /** A transient failure (network, 5xx, a limit): the mention stays as it was. */
  | { kind: "keep" }
  /** Never verified: the row records the failure. */
  | { kind: "fail"; reason: string };

export interface FailedVerification {
  faultCode: number;
  /** The source's HTTP status when it answered other than 2xx. */
  httpStatus?: number | undefined;
  /** "no-link", "not-html", "too-complex", … */
  reason?: string | undefined;
}

/**
 * Pure: the Webmention update rules. A mention that was verified (or already
 * deleted) is deleted when its source answers 410 Gone or 200 without the link,
 * and when a 404 has persisted `goneAfterMs` since the first one; other failures
 * change nothing. A mention never verified just fails.
 */
export function failureEffect(
  failure: FailedVerification,
  prior: { verification: VerificationState; goneSince: string | null } | null,
  now: number,
  goneAfterMs: number,
): FailureEffect {
  const known = prior?.verification === "verified" || prior?.verification === "deleted";
  if (!known) {
    const reason =
      failure.reason ??
      (failure.httpStatus !== undefined ? `http-${failure.httpStatus}` : "no-source");
    return { kind: "fail", reason };
  }
  if (failure.httpStatus === 410) return { kind: "delete", reason: "gone" };
  if (failure.reason === "no-link" && failure.httpStatus === undefined) {
    return { kind: "delete", reason: "link-removed" };
  }
  if (failure.httpStatus === 404) {
    const since = prior.goneSince ?? new Date(now).toISOString();
    if (prior.verification === "deleted" || now - Date.parse(since) >= goneAfterMs) {
      return { kind: "delete", reason: "not-found" };
    }
    return { kind: "not-found-since", since };
  }
  return { kind: "keep" };
}
