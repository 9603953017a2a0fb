import type { StateEntry } from "@static-pingback/core/send";
import { cleanLine, displayTime } from "./clean.ts";
import type { Outcome } from "./model.ts";

/** The last answer of a pair: "fault 17: …", "HTTP 404: …", or the error message. */
export function answerOf(entry: Partial<StateEntry> | undefined): string | undefined {
  if (!entry) return undefined;
  const message = entry.message ? cleanLine(entry.message, 200) : "";
  const code =
    entry.faultCode !== undefined
      ? `fault ${entry.faultCode}`
      : entry.httpStatus !== undefined
        ? `HTTP ${entry.httpStatus}`
        : "";
  const text = code && message ? `${code}: ${message}` : code || message;
  return text || undefined;
}

/**
 * Why a pair was not sent, in the words of the issue that asked for it:
 * `rejected (fault 17: …)`, `no-endpoint`, `retry at …`, `baseline`…
 * Undefined for a sent pair. The text is clean but not escaped.
 */
export function reasonFor(
  outcome: Outcome,
  entry: Partial<StateEntry> | undefined,
): string | undefined {
  const answer = answerOf(entry);
  const retry = entry?.nextAttemptAt ? `retry at ${displayTime(entry.nextAttemptAt)}` : undefined;
  switch (outcome) {
    case "sent":
      return undefined;
    case "already-registered":
      return "already registered (fault 48)";
    case "rejected":
      return answer ? `rejected (${answer})` : "rejected";
    case "no-endpoint":
      return "no-endpoint";
    case "failed":
      return [retry ?? "failed; no retry scheduled", answer && `(${answer})`]
        .filter(Boolean)
        .join(" ");
    case "waiting":
      return [retry ?? "waiting", answer ? `(not due yet; last: ${answer})` : "(not due yet)"].join(
        " ",
      );
    case "baseline":
      return "baseline (existed before the first run; `--all` sends it)";
    case "skipped":
      return "skipped";
    case "excluded":
      return entry?.message ? `excluded (${answer})` : "excluded";
    case "same-site":
      return "same-site";
    case "planned":
      return "dry run: would be sent";
    case "not-attempted":
      return "not attempted: the run was stopped";
  }
}
