import { createHash } from "node:crypto";
import type { ReceiverRequest, ReceiverResponse } from "../http/types.ts";
import type { SiteIndex } from "../manifest/site-index.ts";
import type { PingbackStore } from "../store/types.ts";
import { checkUri, normaliseUri } from "../uri.ts";
import { toJf2Feed } from "./jf2.ts";

/**
 * Without `per-page` the export comes in answers this large, so a build usually needs
 * one request; the build-time loaders follow the `Link: rel="next"` header past it.
 */
export const DEFAULT_PER_PAGE = 10_000;
export const MAX_PER_PAGE = 10_000;

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

/**
 * `GET /pingbacks.jf2`: approved, verified pingbacks, newest first, with
 * webmention.io's parameters `target`, `since` (ISO time), `page` (0-based)
 * and `per-page`. ETag and Last-Modified make a rebuild's poll a 304.
 */
/**
 * Rendered export pages keyed by the store's last change and the query: a
 * burst of identical GETs (every build polling, or a flood) costs one query,
 * one serialisation and one hash. Bounded; the oldest entry goes first.
 */
export class ExportCache {
  readonly #entries = new Map<string, { body: string; etag: string; hasNext: boolean }>();
  readonly #max: number;

  constructor(max = 32) {
    this.#max = max;
  }

  get(key: string) {
    return this.#entries.get(key);
  }

  set(key: string, value: { body: string; etag: string; hasNext: boolean }): void {
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }
}

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
  const key = JSON.stringify([lastChange, target, since, page, perPage]);
  let rendered = cache.get(key);
  if (!rendered) {
    const rows = await store.list({
      status: "approved",
      verifiedOnly: true,
      target,
      since,
      limit: perPage + 1,
      offset: page * perPage,
    });
    const body = `${JSON.stringify(toJf2Feed(rows.slice(0, perPage)))}\n`;
    rendered = {
      body,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      hasNext: rows.length > perPage,
    };
    cache.set(key, rendered);
  }
  const { body, etag, hasNext } = rendered;
  const lastModified = new Date(lastChange).toUTCString();
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    "content-type": "application/jf2feed+json; charset=utf-8",
    "cache-control": "public, max-age=60",
    etag,
    "last-modified": lastModified,
  };
  if (hasNext) {
    const next = new URL(request.url.href);
    next.searchParams.set("page", String(page + 1));
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
