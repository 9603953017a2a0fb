import { createHttpClient, type HttpClient, type LookupFunction } from "@static-pingback/core/net";
import { PINGBACK_FAULTS } from "@static-pingback/core/xmlrpc";
import type { FetchedSource } from "../verify/check-source.ts";
import type { SourceFault } from "./answers.ts";
import { HopRefusal } from "./hop-guard.ts";

export type FetchOutcome =
  /** `redirects`: every URL that redirected, the request URL first (none: fetched directly). */
  | { ok: true; source: FetchedSource; redirects?: readonly string[] }
  /**
   * 16: no source (any network failure, any non-2xx); 17: not a text type.
   * `refused`: a hop check (`beforeHop`) refused a hop before connecting.
   * `httpStatus`: the source's answer when it was not 2xx (Webmention tells 410 and 404 apart).
   */
  | { ok: false; faultCode: SourceFault; refused?: HopRefusal; httpStatus?: number };

export interface FetchHooks {
  /** Judges each hop before it is requested; throwing a HopRefusal stops the fetch. */
  beforeHop?: (url: URL, hop: number) => Promise<void>;
}

/** Fetches a source URL for verification; `requester` is the pinging client's address. */
export type SourceFetcher = (
  url: string,
  requester: string,
  hooks?: FetchHooks,
) => Promise<FetchOutcome>;

export interface GuardedFetcherOptions {
  site: string;
  allowPrivateNetworks: boolean | readonly string[];
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  maxDecodedBytes: number;
  maxRedirects: number;
  lookup?: LookupFunction;
}

const NO_SOURCE = { ok: false, faultCode: PINGBACK_FAULTS.sourceNotFound } as const;

const TEXT_TYPES = /^(text\/[a-z0-9.+-]+|application\/xhtml\+xml)$/;

/**
 * The receiver's source fetcher on core's guarded client: address guard on the
 * connected socket, redirects re-checked, deadlines and byte caps. Every failure
 * collapses into fault 16 with no detail, so answers do not tell a closed port
 * from a refused address or a reset connection.
 */
export function createGuardedFetcher(options: GuardedFetcherOptions): {
  fetchSource: SourceFetcher;
  client: HttpClient;
} {
  const client = createHttpClient({
    allowPrivateNetworks: options.allowPrivateNetworks,
    timeoutMs: options.timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    maxBytes: options.maxBytes,
    maxDecodedBytes: options.maxDecodedBytes,
    maxRedirects: options.maxRedirects,
    connectionsPerOrigin: 2,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const baseAgent = client.userAgent.replace(/\)$/, "");
  const fetchSource: SourceFetcher = async (url, requester, hooks = {}) => {
    try {
      const response = await client.request(url, {
        headers: {
          // As WordPress does: name who asked, so a victim of a reflected ping can trace it.
          "user-agent": `${baseAgent}; receiver for ${options.site}; verifying pingback from ${requester})`,
          "x-pingback-forwarded-for": requester,
          accept: "text/html, application/xhtml+xml;q=0.9, text/*;q=0.5",
        },
        overflow: "truncate",
        ...(hooks.beforeHop ? { beforeHop: hooks.beforeHop } : {}),
        shouldReadBody: (status, contentType) =>
          status >= 200 && status < 300 && TEXT_TYPES.test(contentType),
      });
      if (response.status < 200 || response.status >= 300) {
        return { ...NO_SOURCE, httpStatus: response.status };
      }
      if (response.bodySkipped) return { ok: false, faultCode: PINGBACK_FAULTS.sourceHasNoLink };
      const header = response.headers["content-type"];
      return {
        ok: true,
        redirects: response.redirects,
        source: {
          url: response.url,
          contentType: (Array.isArray(header) ? header[0] : header) ?? null,
          body: response.body,
        },
      };
    } catch (error) {
      return error instanceof HopRefusal ? { ...NO_SOURCE, refused: error } : NO_SOURCE;
    }
  };
  return { fetchSource, client };
}
