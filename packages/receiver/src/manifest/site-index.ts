import type { Manifest } from "@static-pingback/core";
import { normaliseUri, pageUrlVariants } from "../uri.ts";

/** A host name as compared: lower case (WHATWG already folds it), no trailing dot. */
export function hostKey(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, "");
}

/** What the site says about a target URI. */
export type TargetLookup =
  | { kind: "enabled"; canonical: string }
  | { kind: "not-enabled" }
  | { kind: "not-a-page" }
  | { kind: "off-site" };

/**
 * The pages of the built site, indexed for the checks a ping needs. Built once
 * per manifest load; lookups are a few Map probes, the same work whether the
 * page exists or not (drafts are not in a build manifest, so they are simply absent).
 */
export class SiteIndex {
  readonly site: URL;
  readonly generatedAt: string;
  readonly #pages = new Map<string, { canonical: string; enabled: boolean }>();
  /** Pages of the manifest (each is indexed under several URL variants). */
  readonly pageCount: number;

  constructor(manifest: Manifest, siteOverride?: string) {
    this.site = new URL(siteOverride ?? manifest.site);
    this.generatedAt = manifest.generatedAt;
    let pageCount = 0;
    for (const [pageUrl, page] of Object.entries(manifest.pages)) {
      let canonical: string;
      try {
        canonical = normaliseUri(new URL(pageUrl));
      } catch {
        continue;
      }
      pageCount++;
      for (const variant of pageUrlVariants(canonical)) {
        // An exact key wins over a variant of another key.
        const existing = this.#pages.get(variant);
        if (existing && existing.canonical === variant) continue;
        this.#pages.set(variant, { canonical, enabled: page.pingback === true });
      }
    }
    this.pageCount = pageCount;
  }

  /**
   * Whether a URL is on this site: the same host name, compared normalised
   * (case, a trailing dot), on the same port, where http's and https's default
   * ports count as one (so `http://site./` is the https site too), under the
   * site's path. Another explicit port is another site (two sites on one host).
   */
  isOwnSite(url: URL): boolean {
    return (
      hostKey(url.hostname) === hostKey(this.site.hostname) &&
      url.port === this.site.port &&
      url.pathname.startsWith(this.site.pathname)
    );
  }

  lookup(normalisedTarget: string): TargetLookup {
    const page = this.#pages.get(normalisedTarget);
    if (page)
      return page.enabled
        ? { kind: "enabled", canonical: page.canonical }
        : { kind: "not-enabled" };
    return this.isOwnSite(new URL(normalisedTarget))
      ? { kind: "not-a-page" }
      : { kind: "off-site" };
  }
}
