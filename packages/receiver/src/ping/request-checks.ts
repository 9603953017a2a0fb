import type { SiteIndex } from "../manifest/site-index.ts";
import { portAllowed, type ResolvedReceiverOptions } from "../options.ts";
import { checkUri, normaliseUri } from "../uri.ts";

/** Why a request is refused before any work; each protocol words it its own way. */
export type EarlyRefusal =
  | "bad-source"
  | "bad-target"
  | "same-uri"
  | "not-ready"
  | "not-a-page"
  | "not-a-target"
  | "self-ping"
  | "port";

export type RequestCheck =
  | {
      ok: true;
      source: URL;
      /** Normalised (fragment dropped), as stored and compared. */
      sourceUri: string;
      targetUri: string;
      /** The manifest's own URL of the target page. */
      canonical: string;
    }
  | { ok: false; refusal: EarlyRefusal };

/**
 * Pure: the cheap checks both protocols run first, in this order: the URIs, source
 * and target apart, the target an enabled page of the manifest, not a mention of the
 * site by itself, and a source port we fetch (not a port scanner: refused before any work).
 */
export function checkRequest(
  rawSource: string,
  rawTarget: string,
  site: SiteIndex | undefined,
  options: Pick<ResolvedReceiverOptions, "maxUriLength" | "allowSelfPings" | "allowedPorts">,
): RequestCheck {
  const source = checkUri(rawSource, options.maxUriLength);
  if (!source.ok) return { ok: false, refusal: "bad-source" };
  const target = checkUri(rawTarget, options.maxUriLength);
  if (!target.ok) return { ok: false, refusal: "bad-target" };
  const sourceUri = normaliseUri(source.url);
  const targetUri = normaliseUri(target.url);
  if (sourceUri === targetUri) return { ok: false, refusal: "same-uri" };
  if (!site) return { ok: false, refusal: "not-ready" };
  const found = site.lookup(targetUri);
  if (found.kind === "not-a-page") return { ok: false, refusal: "not-a-page" };
  if (found.kind !== "enabled") return { ok: false, refusal: "not-a-target" };
  if (!options.allowSelfPings && site.isOwnSite(source.url)) {
    return { ok: false, refusal: "self-ping" };
  }
  if (!portAllowed(source.url, options.allowedPorts)) return { ok: false, refusal: "port" };
  return { ok: true, source: source.url, sourceUri, targetUri, canonical: found.canonical };
}
