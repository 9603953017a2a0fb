/** Tests a URL: a glob string, a regular expression, or a predicate. */
export type UrlMatcher = string | RegExp | ((url: URL) => boolean);

/**
 * The options every adapter (Eleventy, Astro) and the CLI share, by the same names.
 * See the README's option table for defaults.
 */
export interface PingbackOptions {
  /** Absolute URL of the deployed site, with its base path if any. Required. */
  site: string;
  /**
   * URL of your static-pingback receiver: advertises its Pingback (`xmlrpc`) and
   * Webmention (`webmention`) endpoints, relative to this URL.
   */
  receiver?: string;
  /**
   * Absolute URL of the Pingback (XML-RPC) endpoint advertised on every enabled page;
   * false advertises none.
   */
  endpoint?: string | false;
  /**
   * Absolute URL of the Webmention endpoint advertised on every enabled page; false
   * advertises none.
   */
  webmentionEndpoint?: string | false;
  /** Where the post content is: a CSS selector, or a list tried in order. */
  contentSelector?: string | readonly string[];
  /** Pages that get the link element and take part (matched on the URL path). */
  include?: UrlMatcher | readonly UrlMatcher[];
  /** Pages left out (matched on the URL path), in addition to 404 and error pages. */
  exclude?: UrlMatcher | readonly UrlMatcher[];
  /** Link targets never pinged (matched on the whole URL). */
  excludeLinks?: UrlMatcher | readonly UrlMatcher[];
  /** Also record links to other pages of the same site. Default false. */
  includeSameSite?: boolean;
  /** Directory of manifest.json, outbox.json and state.json. Default ".pingback". */
  stateDir?: string;
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  site: URL;
  /** The Pingback endpoint the pages advertise, null for none. */
  endpoint: string | null;
  /** The Webmention endpoint the pages advertise, null for none. */
  webmentionEndpoint: string | null;
  /** True when no endpoint was given and webmention.io's were chosen. */
  endpointIsDefault: boolean;
  contentSelector: readonly string[];
  include: readonly UrlMatcher[];
  exclude: readonly UrlMatcher[];
  excludeLinks: readonly UrlMatcher[];
  includeSameSite: boolean;
  stateDir: string;
}
