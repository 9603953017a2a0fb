import { readBodyCapped } from "../http/read-body.ts";
import type { ReceiverRequest } from "../http/types.ts";

/** The largest admin form: a page of ids and a few fields. */
export const MAX_FORM_BYTES = 32 * 1024;

/** A form-encoded body, or undefined when it is not one, too large or too slow. */
export async function readForm(
  request: ReceiverRequest,
  deadlineMs: number,
): Promise<URLSearchParams | undefined> {
  const type = request.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return undefined;
  const read = await readBodyCapped(request.body, MAX_FORM_BYTES, deadlineMs);
  if (!read.ok) return undefined;
  return new URLSearchParams(Buffer.from(read.bytes).toString("utf8"));
}
