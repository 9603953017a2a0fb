import { NetError } from "../net/errors.ts";
import type { HttpClient } from "../net/http-client.ts";
import type { Classification } from "./classify.ts";

/** WordPress reads this much of a source page, and no more. */
export const SOURCE_CHECK_BYTES = 150 * 1024;

/** Our own source page as a receiver such as WordPress will see it. */
export type SourceFetch =
  | { ok: true; status: number; location: string | undefined; body: string }
  | { ok: false; message: string };

/** Fetches a source the way WordPress verifies it: no redirects followed, first 150 KB only. */
export async function fetchSourceForCheck(
  client: HttpClient,
  source: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SourceFetch> {
  try {
    const response = await client.request(source, {
      maxRedirects: 0,
      maxBytes: SOURCE_CHECK_BYTES,
      maxDecodedBytes: SOURCE_CHECK_BYTES,
      overflow: "truncate",
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const location = response.headers.location;
    return {
      ok: true,
      status: response.status,
      location: Array.isArray(location) ? location[0] : location,
      body: response.body.toString("utf8"),
    };
  } catch (error) {
    if (!(error instanceof NetError)) throw error;
    return { ok: false, message: error.message };
  }
}

/**
 * Why a receiver would refuse a ping from `source` to `target` (fault 16/17 from
 * WordPress), or undefined when the source looks right. Problems are transient:
 * a deploy still propagating, or a manifest URL to fix before the next run.
 */
export function checkSourceLinks(
  fetched: SourceFetch,
  source: string,
  target: string,
): Classification | undefined {
  if (!fetched.ok) return { status: "failed", message: `source check: ${fetched.message}` };
  if (fetched.status >= 300 && fetched.status < 400) {
    return {
      status: "failed",
      message: `source check: ${source} redirects (HTTP ${fetched.status} to ${fetched.location ?? "?"}); receivers such as WordPress do not follow redirects, so the manifest must hold the final URL`,
    };
  }
  if (fetched.status !== 200) {
    return { status: "failed", message: `source check: ${source} answered HTTP ${fetched.status}` };
  }
  const escaped = target.replaceAll("&", "&amp;");
  if (!fetched.body.includes(target) && !fetched.body.includes(escaped)) {
    return {
      status: "failed",
      message: `source check: ${source} does not contain a link to ${target} in its first ${SOURCE_CHECK_BYTES / 1024} KB (what WordPress reads)`,
    };
  }
  return undefined;
}
