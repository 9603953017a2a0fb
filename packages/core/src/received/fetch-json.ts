/**
 * GET a JSON document through core's guarded HTTP client: overall timeout, byte caps
 * (raw and decoded), a redirect cap and the project's User-Agent. Private addresses
 * are allowed: the received-data URL is the site owner's own configuration (their
 * receiver, possibly on localhost or a LAN, or webmention.io), not a stranger's link.
 */
export interface FetchJsonLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** A fetched JSON document and the URL of its next page (a `Link: <…>; rel="next"` header). */
export interface JsonPage {
  body: unknown;
  next: string | undefined;
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

/** Resolves to the parsed JSON; rejects with a message fit for a build log. */
export async function fetchJson(url: string, limits: FetchJsonLimits): Promise<unknown> {
  return (await fetchJsonPage(url, limits)).body;
}

/** Like fetchJson, and also says where the next page is, if the server pages. */
export async function fetchJsonPage(url: string, limits: FetchJsonLimits): Promise<JsonPage> {
  // Loaded on use: most builds read a local file or a fresh cache, and undici is slow to import.
  const { createHttpClient } = await import("../net/http-client.ts");
  const client = createHttpClient({
    allowPrivateNetworks: true,
    userAgentExtra: "received pingbacks",
    timeoutMs: limits.timeoutMs,
    maxBytes: limits.maxBytes,
    maxRedirects: 5,
  });
  try {
    const response = await client.request(url, {
      headers: { accept: "application/jf2feed+json, application/json;q=0.9" },
    });
    if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}`);
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString("utf8").replace(/^\uFEFF/, ""));
    } catch {
      throw new Error("response is not valid JSON");
    }
    return { body, next: nextLink(response.headers.link, response.url) };
  } finally {
    await client.close();
  }
}
