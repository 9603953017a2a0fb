/** One page of the built site, as the manifest records it. */
export interface ManifestPage {
  /** Whether the page takes part: advertises an endpoint (ours or its own) and is a valid target. */
  pingback: boolean;
  /** Outbound link targets of the page's post content, sorted. */
  links: string[];
  /**
   * A fingerprint of the page's content (e.g. a hash of its HTML), when the adapter gives
   * one: `send` re-sends Webmentions when it changes (a changed page, same links).
   */
  contentHash?: string;
}

/** `manifest.json`: this build's pages and link graph. */
export interface Manifest {
  version: 1;
  /** The site's absolute URL, ending with "/". */
  site: string;
  /** The Pingback endpoint the enabled pages advertise, null for none. */
  endpoint: string | null;
  /** The Webmention endpoint they advertise, null for none (absent before Webmention). */
  webmentionEndpoint?: string | null;
  /** ISO 8601 time of the build. */
  generatedAt: string;
  /** Keyed by the page's absolute, final deployed URL; keys sorted. */
  pages: Record<string, ManifestPage>;
}

/** A link from one of our pages (source) to another site's page (target). */
export interface LinkPair {
  source: string;
  target: string;
}

/** `outbox.json`: what changed since the previous build's manifest. */
export interface Outbox {
  version: 1;
  generatedAt: string;
  /** `generatedAt` of the manifest compared against, or null on a first build. */
  previousGeneratedAt: string | null;
  /** Pairs present now and not before: the candidates for sending. */
  added: LinkPair[];
  /** Pairs present before and not now (informational: pingback cannot retract). */
  removed: LinkPair[];
  pagesAdded: string[];
  pagesRemoved: string[];
}
