import type { Element } from "hast";
import { EXIT, visit } from "unist-util-visit";
import type { HttpResponse } from "../net/http-client.ts";
import { parseHtml } from "../page/reference/parse-html.ts";
import { linkHeaderValues, parseLinkHeader, relationTypes } from "./link-header.ts";

/**
 * Webmention endpoint discovery, W3C Recommendation section 3.1.2: the first `Link`
 * header value with rel `webmention`, else the first `<link>` or `<a>` element in
 * document order whose rel holds `webmention` and that has an `href`. Relative
 * endpoints resolve against the target's final URL (after redirects); an empty href
 * is the page itself; the query string is kept as it is.
 */

export type WebmentionFoundIn = "link-header" | "link-element" | "a-element";

export interface WebmentionEndpoint {
  /** Absolute http(s) URL. */
  endpoint: string;
  foundIn: WebmentionFoundIn;
}

export interface WebmentionDiscoveryInput {
  /** The URL that answered, after redirects: the base for relative endpoints. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body (or a bounded prefix of it) when it is HTML; undefined when not read. */
  html?: string | undefined;
}

/**
 * Characters of HTML parsed at most; discovery fetches only a 64 KiB prefix anyway, this
 * keeps the pure function bounded for any caller.
 */
export const WEBMENTION_HTML_CHARS = 64 * 1024;

const RELATION = "webmention";

/** `href` resolved against `base`; undefined unless it gives an http(s) URL. */
function resolveEndpoint(href: string, base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return undefined;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
}

function fromHeaders(input: WebmentionDiscoveryInput): string | undefined {
  for (const value of linkHeaderValues(input.headers)) {
    for (const link of parseLinkHeader(value)) {
      if (!relationTypes(link.params.rel).includes(RELATION)) continue;
      const endpoint = resolveEndpoint(link.target, input.url);
      if (endpoint !== undefined) return endpoint;
    }
  }
  return undefined;
}

function relTokens(element: Element): string[] {
  const rel = element.properties.rel;
  if (Array.isArray(rel)) return rel.map((token) => String(token).toLowerCase());
  return relationTypes(typeof rel === "string" ? rel : undefined);
}

/**
 * The first `<link>`/`<a>` with rel webmention and an href, in document order, as a
 * browser parses the page: comments, escaped text, raw-text elements and template
 * contents hold no elements, so nothing in them counts.
 */
function fromHtml(html: string, base: string): WebmentionEndpoint | undefined {
  // Most pages never mention the word: skip the parse for them. (A rel spelled with
  // character references, `&#119;ebmention`, is missed: only its own page loses.)
  if (!/webmention/i.test(html)) return undefined;
  const { tree } = parseHtml(html);
  let found: WebmentionEndpoint | undefined;
  visit(tree, "element", (node) => {
    if (node.tagName !== "link" && node.tagName !== "a") return undefined;
    const href = node.properties.href;
    if (typeof href !== "string" || !relTokens(node).includes(RELATION)) return undefined;
    const endpoint = resolveEndpoint(href, base);
    if (endpoint === undefined) return undefined;
    found = { endpoint, foundIn: node.tagName === "link" ? "link-element" : "a-element" };
    return EXIT;
  });
  return found;
}

/** Pure: decides from what a fetch of the target gave. */
export function findWebmentionEndpoint(
  input: WebmentionDiscoveryInput,
): WebmentionEndpoint | undefined {
  const header = fromHeaders(input);
  if (header !== undefined) return { endpoint: header, foundIn: "link-header" };
  if (input.html === undefined) return undefined;
  return fromHtml(input.html.slice(0, WEBMENTION_HTML_CHARS), input.url);
}

/**
 * The same, from a response of the guarded client (final URL after redirects, headers,
 * the bounded body). A target that answered an HTTP error has no endpoint.
 */
export function findWebmentionEndpointInResponse(
  response: HttpResponse,
): WebmentionEndpoint | undefined {
  if (response.status >= 400) return undefined;
  return findWebmentionEndpoint({
    url: response.url,
    headers: response.headers,
    html: response.bodySkipped ? undefined : response.body.toString("utf8"),
  });
}
