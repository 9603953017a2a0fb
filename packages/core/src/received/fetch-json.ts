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

/** Resolves to the parsed JSON; rejects with a message fit for a build log. */
export async function fetchJson(url: string, limits: FetchJsonLimits): Promise<unknown> {
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
    try {
      return JSON.parse(response.body.toString("utf8").replace(/^\uFEFF/, ""));
    } catch {
      throw new Error("response is not valid JSON");
    }
  } finally {
    await client.close();
  }
}
