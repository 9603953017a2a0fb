import { NetError } from "../net/errors.ts";
import type { HttpClient, HttpResponse } from "../net/http-client.ts";
import { cleanLine } from "../text/clean-text.ts";
import { findWebmentionEndpointInResponse, type WebmentionFoundIn } from "./webmention-endpoint.ts";

/** The protocol a target is notified by: Webmention wins when it advertises both. */
export type Protocol = "webmention" | "pingback";

/**
 * Where the endpoint was found: Webmention `link-header`, `html-link`, `html-a`;
 * Pingback `x-pingback`, `html-regex`; `state`: kept from an earlier run's discovery.
 */
export type FoundIn =
  | "link-header"
  | "html-link"
  | "html-a"
  | "x-pingback"
  | "html-regex"
  | "state";

const WEBMENTION_FOUND_IN: Record<WebmentionFoundIn, FoundIn> = {
  "link-header": "link-header",
  "link-element": "html-link",
  "a-element": "html-a",
};

/** How the endpoint was found, or why none was. */
export interface DiscoveryResult {
  target: string;
  /** Which protocol the endpoint speaks; null when there is none. */
  protocol: Protocol | null;
  /** The endpoint, absolute http(s); undefined when there is none. */
  endpoint: string | undefined;
  /** Where it was found; absent when none was. */
  foundIn?: FoundIn;
  /**
   * In HTTP headers or in the body ("state": found by an earlier run and kept in
   * state.json, not fetched again). Kept for older readers; `foundIn` says more.
   */
  via: "header" | "link" | "state" | "none";
  /** Human-readable account of the decision. */
  reason: string;
  /** Where Webmention discovery looked, said in words, when it found nothing. */
  webmention?: string;
  /** Raw X-Pingback value (first header), if any. */
  header?: string;
  /** Link element href after entity expansion, if the body was searched and matched. */
  link?: string;
  /** Final HTTP status and URL after redirects; absent when the fetch failed. */
  status?: number;
  finalUrl?: string;
  redirects?: string[];
  contentType?: string;
  /** Bytes of body searched (0 when skipped). */
  bytesSearched?: number;
  /** The fetch failed: the NetError (classified by the caller). */
  error?: NetError;
}

export interface DiscoveryOptions {
  /** Prefix of the body searched for the link element. Default 64 KiB. */
  maxBodyBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_DISCOVERY_BYTES = 64 * 1024;

/** Exactly the spec's regular expression (section 2.3). */
const PINGBACK_LINK = /<link rel="pingback" href="([^"]+)" ?\/?>/;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };

/** Expands exactly the four entities the spec allows, in one pass (no double decoding). */
export function expandPingbackEntities(href: string): string {
  return href.replace(/&(?:amp|lt|gt|quot);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The first match of the spec's regex in `html`, entities expanded. */
export function findPingbackLink(html: string): string | undefined {
  const match = PINGBACK_LINK.exec(html);
  return match?.[1] === undefined ? undefined : expandPingbackEntities(match[1]);
}

/** An endpoint must be an absolute http(s) URI; otherwise returns why not. */
export function checkEndpoint(
  value: string,
): { ok: true; url: string } | { ok: false; why: string } {
  const trimmed = value.trim();
  if (trimmed === "") return { ok: false, why: "is empty" };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return {
      ok: false,
      why: `"${trimmed}" is not an absolute URI (relative endpoints are not allowed)`,
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, why: `"${trimmed}" is not http(s)` };
  }
  return { ok: true, url: url.href };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const MEDIA_WITHOUT_LINKS = /^(image|audio|video)\//;

/** Longest header, link or reason kept for display: hostile pages can send 64 KB of href. */
const MAX_SHOWN = 2_048;

/**
 * The result with every string a stranger chose (header, link, content type, and the
 * reason quoting them) cleaned of escapes and invisible characters, on one line, so it
 * can be printed and stored. The endpoint is a URL's href: already safe.
 */
function shown(result: DiscoveryResult): DiscoveryResult {
  const out: DiscoveryResult = { ...result, reason: cleanLine(result.reason, MAX_SHOWN) };
  if (result.header !== undefined) out.header = cleanLine(result.header, MAX_SHOWN);
  if (result.link !== undefined) out.link = cleanLine(result.link, MAX_SHOWN);
  if (result.contentType !== undefined) out.contentType = cleanLine(result.contentType, 200);
  return out;
}

/**
 * Decides from a fetched target response; pure, so the CLI and tests can reuse it.
 * The endpoint is judged on the raw values; what is reported is cleaned (`shown`).
 */
export function discoverFromResponse(target: string, response: HttpResponse): DiscoveryResult {
  return shown(decide(target, response));
}

/** Where each kind of endpoint was found, in words (plain output, reasons). */
export const FOUND_IN_WORDS: Record<FoundIn, string> = {
  "link-header": "the HTTP Link header",
  "html-link": "a <link> element",
  "html-a": "an <a> element",
  "x-pingback": "the X-Pingback header",
  "html-regex": "the page's <link rel=\"pingback\"> (the spec's pattern)",
  state: "state.json (found by an earlier run)",
};

function decide(target: string, response: HttpResponse): DiscoveryResult {
  const base: Omit<DiscoveryResult, "endpoint" | "via" | "reason"> = {
    target,
    status: response.status,
    finalUrl: response.url,
    redirects: response.redirects,
    contentType: response.contentType,
    bytesSearched: response.body.length,
    protocol: null,
  };
  const header = firstHeader(response.headers["x-pingback"]);
  if (response.status >= 400) {
    return {
      ...base,
      ...(header === undefined ? {} : { header }),
      endpoint: undefined,
      via: "none",
      reason: `target answered HTTP ${response.status}`,
    };
  }
  const webmention = findWebmentionEndpointInResponse(response);
  if (webmention !== undefined) {
    const foundIn = WEBMENTION_FOUND_IN[webmention.foundIn];
    return {
      ...base,
      ...(header === undefined ? {} : { header }),
      protocol: "webmention",
      endpoint: webmention.endpoint,
      foundIn,
      via: foundIn === "link-header" ? "header" : "link",
      reason: `Webmention endpoint in ${FOUND_IN_WORDS[foundIn]}${header === undefined ? "" : " (the X-Pingback header is not needed: Webmention wins)"}`,
    };
  }
  base.webmention = response.bodySkipped
    ? "no Link header with rel=webmention (body not searched)"
    : "no Link header, <link> or <a> with rel=webmention";
  if (header !== undefined) {
    const checked = checkEndpoint(header);
    if (checked.ok) {
      return {
        ...base,
        header,
        protocol: "pingback",
        endpoint: checked.url,
        foundIn: "x-pingback",
        via: "header",
        reason: "X-Pingback header",
      };
    }
    return {
      ...base,
      header,
      endpoint: undefined,
      via: "none",
      reason: `X-Pingback header ${checked.why}`,
    };
  }
  if (response.bodySkipped) {
    return {
      ...base,
      endpoint: undefined,
      via: "none",
      reason: `no Webmention Link header, no X-Pingback header, and a ${response.contentType} body has no link element`,
    };
  }
  const link = findPingbackLink(response.body.toString("utf8"));
  if (link === undefined) {
    const searched = response.truncated ? `the first ${response.body.length} bytes` : "the body";
    return {
      ...base,
      endpoint: undefined,
      via: "none",
      reason: `no Webmention endpoint, no X-Pingback header, and no <link rel="pingback" href="…"> in ${searched}`,
    };
  }
  const checked = checkEndpoint(link);
  if (checked.ok)
    return {
      ...base,
      link,
      protocol: "pingback",
      endpoint: checked.url,
      foundIn: "html-regex",
      via: "link",
      reason: "pingback link element",
    };
  return {
    ...base,
    link,
    endpoint: undefined,
    via: "none",
    reason: `link element href ${checked.why}`,
  };
}

/**
 * Fetches a target and finds its endpoint, one protocol per target: Webmention first,
 * in the W3C Recommendation's order (Link header, then the first <link>/<a>); else
 * Pingback per its spec: the first X-Pingback header, then the spec's regex over a
 * bounded prefix of the body.
 * Network failures come back in `error` (not thrown), so every target has a result.
 */
export async function discoverEndpoint(
  client: HttpClient,
  target: string,
  options: DiscoveryOptions = {},
): Promise<DiscoveryResult> {
  try {
    const response = await client.request(target, {
      method: "GET",
      headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" },
      maxBytes: options.maxBodyBytes ?? DEFAULT_DISCOVERY_BYTES,
      maxDecodedBytes: options.maxBodyBytes ?? DEFAULT_DISCOVERY_BYTES,
      overflow: "truncate",
      shouldReadBody: (_status, contentType) => !MEDIA_WITHOUT_LINKS.test(contentType),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return discoverFromResponse(target, response);
  } catch (error) {
    if (!(error instanceof NetError)) throw error;
    return shown({
      target,
      protocol: null,
      endpoint: undefined,
      via: "none",
      reason: error.message,
      error,
    });
  }
}
