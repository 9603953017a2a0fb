/**
 * webmention.io's endpoints for a site's domain: the defaults when no endpoint and no
 * receiver is configured. webmention.io accepts pingbacks only after the account
 * owner enables them in its settings (until then it answers HTTP 401, fault 0).
 */
export function webmentionIoEndpoints(site: URL): { pingback: string; webmention: string } {
  return {
    pingback: `https://webmention.io/${site.hostname}/xmlrpc`,
    webmention: `https://webmention.io/${site.hostname}/webmention`,
  };
}

/** Where a static-pingback receiver at `receiver` answers each protocol (its default paths). */
export function receiverEndpoints(receiver: URL): { pingback: string; webmention: string } {
  const base = new URL(receiver);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return {
    pingback: new URL("xmlrpc", base).href,
    webmention: new URL("webmention", base).href,
  };
}

/**
 * The line an adapter logs once per build about which endpoints the pages advertise,
 * when that is worth saying (webmention.io's by default, or none at all).
 */
export function advertisedEndpointsNote(options: {
  endpoint: string | null;
  webmentionEndpoint: string | null;
  endpointIsDefault: boolean;
}): string | undefined {
  if (options.endpointIsDefault) {
    return `advertising webmention.io's endpoints ${options.webmentionEndpoint} and ${options.endpoint} (set "receiver", "endpoint" or "webmentionEndpoint" to use others; webmention.io accepts pingbacks only once they are enabled in its settings)`;
  }
  if (options.endpoint === null && options.webmentionEndpoint === null) {
    return "advertising no endpoint: pages are not linked back to (links are still collected for sending)";
  }
  return undefined;
}
