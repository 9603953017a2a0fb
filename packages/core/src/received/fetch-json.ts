/**
 * GET a JSON document with a timeout and a byte cap. The received-data URL is the
 * site owner's own configuration (their receiver or webmention.io), not a stranger's
 * link, so no address guard applies here; limits still do, since the data is not ours.
 */
export interface FetchJsonLimits {
  timeoutMs: number;
  maxBytes: number;
  userAgent?: string;
}

export const RECEIVED_USER_AGENT =
  "static-pingback (received pingbacks; +https://github.com/static-pingback/static-pingback)";

/** Resolves to the parsed JSON; rejects with a message fit for a build log (no URL in it). */
export async function fetchJson(url: string, limits: FetchJsonLimits): Promise<unknown> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      signal,
      redirect: "follow",
      headers: {
        accept: "application/jf2feed+json, application/json;q=0.9",
        "user-agent": limits.userAgent ?? RECEIVED_USER_AGENT,
      },
    });
  } catch (error) {
    throw new Error(describeFetchError(error, limits.timeoutMs));
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`response of ${declared} bytes exceeds the ${limits.maxBytes}-byte cap`);
  }
  const text = await readCapped(response, limits, signal);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw new Error("response is not valid JSON");
  }
}

async function readCapped(
  response: Response,
  limits: FetchJsonLimits,
  signal: AbortSignal,
): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) {
        await reader.cancel().catch(() => {});
        throw new Error(`response exceeds the ${limits.maxBytes}-byte cap`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (signal.aborted) throw new Error(`no complete answer within ${limits.timeoutMs} ms`);
    throw error;
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
