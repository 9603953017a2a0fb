/**
 * webmention.io's pingback endpoint for a site's domain: the default when no
 * endpoint is configured. webmention.io accepts pingbacks only after the account
 * owner enables them in its settings (until then it answers HTTP 401, fault 0).
 */
export function webmentionIoEndpoint(site: URL): string {
  return `https://webmention.io/${site.hostname}/xmlrpc`;
}
