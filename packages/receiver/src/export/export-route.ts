import { createHash } from "node:crypto";
import type { ReceiverRequest, ReceiverResponse } from "../http/types.ts";
import type { SiteIndex } from "../manifest/site-index.ts";
import type { PingbackStore, StoredPingback } from "../store/types.ts";
import { checkUri, normaliseUri } from "../uri.ts";
import { toJf2Entry } from "./jf2.ts";

/**
 * Pages are small, so one query costs little whatever its parameters; the
 * build-time loaders follow the `Link: rel="next"` header to the end.
 */
export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;
/** An answer stops taking entries past this size (at least one); the rest is on the next page. */
export const MAX_PAGE_BYTES = 1024 * 1024;
/** Rendered answers kept, in bytes of body. */
export const CACHE_BYTES = 8 * 1024 * 1024;

/** Anyone may read the export from a browser: it is public data. */
export const CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "if-none-match, if-modified-since",
  "access-control-expose-headers": "etag, last-modified, link",
  "access-control-max-age": "86400",
};

function jsonError(status: number, message: string): ReceiverResponse {
  return {
    status,
    headers: { ...CORS_HEADERS, "content-type": "application/json; charset=utf-8" },
    body: `${JSON.stringify({ error: message })}\n`,
  };
}

function nonNegativeInteger(value: string | null, fallback: number): number | undefined {
  if (value === null || value === "") return fallback;
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

interface RenderedPage {
  /** Encoded once and shared by every connection that is sent it. */
  body: Uint8Array;
  etag: string;
  /** Offset of the next page, when there is one. */
  next: number | undefined;
}

/**
 * Rendered export pages keyed by the store's last change and the normalised
 * query: a burst of identical GETs (every build polling, or a flood) costs one
 * query, one serialisation and one hash. Bounded in bytes; least recently used
 * goes first.
 */
export class ExportCache {
  readonly #entries = new Map<string, RenderedPage>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes = CACHE_BYTES) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): RenderedPage | undefined {
    const found = this.#entries.get(key);
    if (found) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
    }
    return found;
  }

  set(key: string, value: RenderedPage): void {
    if (value.body.byteLength > this.#maxBytes) return;
    this.#remove(key);
    this.#entries.set(key, value);
    this.#bytes += value.body.byteLength;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const found = this.#entries.get(key);
    if (!found) return;
    this.#entries.delete(key);
    this.#bytes -= found.body.byteLength;
  }
}

/** One page of the feed, entry by entry until `maxBytes` (always at least one entry). */
function renderPage(
  rows: readonly StoredPingback[],
  perPage: number,
  offset: number,
): RenderedPage {
  const parts = ['{"type":"feed","name":"Pingbacks","children":['];
  let bytes = parts[0]?.length ?? 0;
  let taken = 0;
  for (const row of rows.slice(0, perPage)) {
    const entry = JSON.stringify(toJf2Entry(row));
    const size = Buffer.byteLength(entry) + 1;
    if (taken > 0 && bytes + size > MAX_PAGE_BYTES) break;
    parts.push(taken > 0 ? `,${entry}` : entry);
    bytes += size;
    taken++;
  }
  parts.push("]}\n");
  const body = Buffer.from(parts.join(""));
  return {
    body,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    next: taken < rows.length ? offset + taken : undefined,
  };
}

/**
 * `GET /pingbacks.jf2`: approved, verified pingbacks, newest first, with
 * webmention.io's parameters `target`, `since` (ISO time), `page` (0-based)
 * and `per-page`, plus `offset` (rows to skip; what the next-page link uses
 * when a page was cut by its byte cap). ETag and Last-Modified make a
 * rebuild's poll a 304.
 */
export async function handleExport(
  request: ReceiverRequest,
  store: PingbackStore,
  site: SiteIndex | undefined,
  cache: ExportCache = new ExportCache(),
): Promise<ReceiverResponse> {
  const params = request.url.searchParams;
  const page = nonNegativeInteger(params.get("page"), 0);
  const perPage = nonNegativeInteger(params.get("per-page"), DEFAULT_PER_PAGE);
  if (page === undefined) return jsonError(400, "page must be a non-negative integer");
  if (perPage === undefined || perPage < 1 || perPage > MAX_PER_PAGE) {
    return jsonError(400, `per-page must be an integer from 1 to ${MAX_PER_PAGE}`);
  }
  const offset = nonNegativeInteger(params.get("offset"), page * perPage);
  if (offset === undefined) return jsonError(400, "offset must be a non-negative integer");
  let since: string | undefined;
  const sinceParam = params.get("since");
  if (sinceParam) {
    const time = Date.parse(sinceParam);
    if (Number.isNaN(time)) return jsonError(400, "since must be an ISO 8601 date-time");
    since = new Date(time).toISOString();
  }
  let target: string | undefined;
  const targetParam = params.get("target");
  if (targetParam) {
    const checked = checkUri(targetParam);
    if (!checked.ok) return jsonError(400, "target must be an absolute http(s) URL");
    target = normaliseUri(checked.url);
    const found = site?.lookup(target);
    if (found?.kind === "enabled") target = found.canonical;
  }

  const lastChange = await store.lastChange();
  // Normalised: `page=2&per-page=10` and `offset=20&per-page=10` are one entry.
  const key = JSON.stringify([lastChange, target, since, offset, perPage]);
  let rendered = cache.get(key);
  if (!rendered) {
    const rows = await store.list({
      status: "approved",
      verifiedOnly: true,
      target,
      since,
      limit: perPage + 1,
      offset,
    });
    rendered = renderPage(rows, perPage, offset);
    cache.set(key, rendered);
  }
  const { body, etag } = rendered;
  const lastModified = new Date(lastChange).toUTCString();
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    "content-type": "application/jf2feed+json; charset=utf-8",
    "cache-control": "public, max-age=60",
    etag,
    "last-modified": lastModified,
  };
  if (rendered.next !== undefined) {
    const next = new URL(request.url.href);
    next.searchParams.delete("page");
    next.searchParams.set("offset", String(rendered.next));
    next.searchParams.set("per-page", String(perPage));
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  const ifNoneMatch = request.header("if-none-match");
  const ifModifiedSince = request.header("if-modified-since");
  const notModified =
    ifNoneMatch !== null
      ? ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)
      : ifModifiedSince !== null && Date.parse(ifModifiedSince) >= Date.parse(lastModified);
  if (notModified) return { status: 304, headers, body: "" };
  return { status: 200, headers, body };
}
