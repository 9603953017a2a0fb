import { cleanLine } from "@static-pingback/core";
import type { StateEntry } from "@static-pingback/core/send";

/**
 * "fault 17: why" or "HTTP 404: fetching the target": the code named once, only when
 * the message does not already say it, and the message cleaned again (a state file
 * written by an older version may hold escapes).
 */
export function outcomeText(
  entry: Pick<StateEntry, "message" | "faultCode" | "httpStatus">,
): string {
  const message = cleanLine(entry.message ?? "");
  const codes: string[] = [];
  if (entry.faultCode !== undefined && !message.includes(`fault ${entry.faultCode}`))
    codes.push(`fault ${entry.faultCode}`);
  if (entry.httpStatus !== undefined && !message.includes(`HTTP ${entry.httpStatus}`))
    codes.push(`HTTP ${entry.httpStatus}`);
  return [codes.join(" "), message].filter((part) => part !== "").join(": ");
}
