import { StaticPingbackError } from "../errors/static-pingback-error.ts";
/**
 * GET a JSON document from the site owner's own configuration (the deployed previous
 * manifest, received pingbacks: their receiver or webmention.io) through core's guarded
 * HTTP client: overall timeout, byte caps (raw and decoded), at most 5 redirects and the
 * project's User-Agent. Private addresses are allowed: the URL is the owner's choice
 * (a staging host or receiver on the LAN), not a stranger's link.
 */
export interface FetchOwnJsonOptions {
  timeoutMs: number;
  maxBytes: number;
  /** The Accept header. */
  accept: string;
  /** What is fetched, added to the User-Agent ("previous manifest"). */
  purpose: string;
}

/** A fetched JSON document and the URL of its next page (a `Link: <…>; rel="next"` header). */
export interface OwnJsonPage {
  body: unknown;
  next: string | undefined;
}

/** The answer's status is outside 2xx. */
export class HttpStatusError extends StaticPingbackError {
  readonly code = "ERR_HTTP_STATUS";
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.name = "HttpStatusError";
    this.status = status;
  }
}

/** The body is not JSON; `reason` is the parser's message. */
export class InvalidJsonError extends StaticPingbackError {
  readonly code = "ERR_INVALID_JSON";
  readonly reason: string;
  constructor(reason: string) {
    super("response is not valid JSON");
    this.name = "InvalidJsonError";
    this.reason = reason;
  }
}

/**
 * The parsed document. Rejects with HttpStatusError for a status outside 2xx,
 * InvalidJsonError for a body that does not parse, and the client's NetError for a
 * failed request.
 */
export async function fetchOwnJson(
  url: string,
  options: FetchOwnJsonOptions,
): Promise<OwnJsonPage> {
  // Loaded on use: most builds read local files, and undici is slow to import.
  const { createHttpClient } = await import("./http-client.ts");
  const client = createHttpClient({
    allowPrivateNetworks: true,
    userAgentExtra: options.purpose,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    maxRedirects: 5,
  });
  try {
    const response = await client.request(url, { headers: { accept: options.accept } });
    if (response.status < 200 || response.status > 299) throw new HttpStatusError(response.status);
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString("utf8").replace(/^\uFEFF/, ""));
    } catch (error) {
      throw new InvalidJsonError((error as Error).message);
    }
    return { body, next: nextLink(response.headers.link, response.url) };
  } finally {
    await client.close();
  }
}

/** The `rel="next"` target of a Link header, resolved against the page's URL. */
function nextLink(header: string | string[] | undefined, base: string): string | undefined {
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) return undefined;
  for (const part of value.split(",")) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(match[2] as string)) {
      try {
        return new URL(match[1] as string, base).href;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
