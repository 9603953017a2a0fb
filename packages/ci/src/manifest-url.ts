import { PUBLISHED_MANIFEST_FILE, StaticPingbackError } from "@static-pingback/core";

export class ManifestUrlError extends StaticPingbackError {
  readonly code = "ERR_MANIFEST_URL";
  constructor(name: string, value: string) {
    super(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
    this.name = "ManifestUrlError";
  }
}

function httpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ManifestUrlError(name, value);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ManifestUrlError(name, value);
  }
  return url;
}

/**
 * Where the deployed copy of the manifest is: `manifestUrl` as given, else
 * `pingback-manifest.json` under `siteUrl`, else under the site the manifest names.
 * A site URL with a path (`https://me.github.io/blog`) keeps it.
 */
export interface DeployedManifestInput {
  manifestUrl?: string | undefined;
  siteUrl?: string | undefined;
  /** `site` of this build's manifest. */
  manifestSite: string;
}

export function deployedManifestUrl(input: DeployedManifestInput): string {
  if (input.manifestUrl) return httpUrl("manifest-url", input.manifestUrl).href;
  const site = input.siteUrl
    ? httpUrl("site-url", input.siteUrl)
    : httpUrl("the manifest's site", input.manifestSite);
  if (!site.pathname.endsWith("/")) site.pathname += "/";
  site.search = "";
  site.hash = "";
  return new URL(PUBLISHED_MANIFEST_FILE, site).href;
}
