import { isJsonObject } from "../files/is-json-object.ts";
import { receiverEndpoints, webmentionIoEndpoints } from "./default-endpoint.ts";
import { rejectUnknownOptions } from "./known-options.ts";
import { PingbackOptionsError } from "./options-error.ts";
import type { PingbackOptions, ResolvedOptions, UrlMatcher } from "./types.ts";

/** Where the post body usually is, most specific first (microformats, then HTML5). */
export const DEFAULT_CONTENT_SELECTOR: readonly string[] = [
  ".h-entry .e-content",
  ".h-entry",
  "article",
  "main",
  "body",
];

/** 404 and server-error pages never take part. */
export const DEFAULT_EXCLUDED_PAGES: readonly UrlMatcher[] = [
  /(?:^|\/)(?:404|500|50x|error)(?:\.html?|\/)?$/i,
];

export const DEFAULT_STATE_DIR = ".pingback";

/** The options every adapter shares; an adapter lists its own after these. */
export const SHARED_OPTION_NAMES: readonly string[] = [
  "site",
  "receiver",
  "endpoint",
  "webmentionEndpoint",
  "contentSelector",
  "include",
  "exclude",
  "excludeLinks",
  "includeSameSite",
  "stateDir",
];

function absoluteHttpUrl(value: unknown, fail: (problem: string) => never): URL {
  if (typeof value !== "string" && !(value instanceof URL)) {
    fail(`must be an absolute http(s) URL string, got ${describeValue(value)}`);
  }
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    fail(`must be an absolute http(s) URL, got ${JSON.stringify(String(value))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(`must use http or https, got ${JSON.stringify(url.protocol)}`);
  }
  if (url.username || url.password) fail("must not contain a user name or password");
  return url;
}

/** A value as an option error names it: strings quoted, other values by their kind. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function matcherList(
  value: unknown,
  fallback: readonly UrlMatcher[],
  fail: (problem: string) => never,
): readonly UrlMatcher[] {
  if (value === undefined) return fallback;
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    const ok =
      (typeof item === "string" && item.length > 0) ||
      item instanceof RegExp ||
      typeof item === "function";
    if (!ok) {
      fail(
        `must be a glob string, a RegExp, a function (url) => boolean, or a list of these; got ${describeValue(item)}`,
      );
    }
  }
  return list as UrlMatcher[];
}

function selectorList(value: unknown, fail: (problem: string) => never): readonly string[] {
  if (value === undefined) return DEFAULT_CONTENT_SELECTOR;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((s) => typeof s === "string" && s.trim() !== "")) {
    fail(`must be a CSS selector string or a non-empty list of them, got ${describeValue(value)}`);
  }
  return list as string[];
}

/**
 * The endpoints the pages advertise. With none of `receiver`, `endpoint` and
 * `webmentionEndpoint` given, webmention.io's; otherwise what is given (`receiver`
 * fills in whichever of the two is not given), and `false` or omission turns one off.
 */
function resolveEndpoints(
  options: PingbackOptions,
  site: URL,
  failFor: (option: string) => (problem: string) => never,
): Pick<ResolvedOptions, "endpoint" | "webmentionEndpoint" | "endpointIsDefault"> {
  if (
    options.receiver === undefined &&
    options.endpoint === undefined &&
    options.webmentionEndpoint === undefined
  ) {
    const io = webmentionIoEndpoints(site);
    return { endpoint: io.pingback, webmentionEndpoint: io.webmention, endpointIsDefault: true };
  }
  const ours =
    options.receiver === undefined
      ? undefined
      : receiverEndpoints(absoluteHttpUrl(options.receiver, failFor("receiver")));
  const one = (name: "endpoint" | "webmentionEndpoint", fromReceiver: string | undefined) => {
    const value = options[name];
    if (value === false) return null;
    if (value === undefined) return fromReceiver ?? null;
    return absoluteHttpUrl(value, failFor(name)).href;
  };
  return {
    endpoint: one("endpoint", ours?.pingback),
    webmentionEndpoint: one("webmentionEndpoint", ours?.webmention),
    endpointIsDefault: false,
  };
}

/**
 * Validates user options at the door and fills in defaults. Every error names the
 * package (`packageName`) and the option. The site's path is kept as its base path
 * and always ends with "/".
 */
export function resolveOptions(input: unknown, packageName: string): ResolvedOptions {
  if (!isJsonObject(input)) {
    throw new PingbackOptionsError(
      packageName,
      "(options)",
      `must be an object, got ${describeValue(input)}`,
    );
  }
  const options = input as PingbackOptions & Record<string, unknown>;
  const failFor =
    (option: string) =>
    (problem: string): never => {
      throw new PingbackOptionsError(packageName, option, problem);
    };

  rejectUnknownOptions(options, SHARED_OPTION_NAMES, packageName);

  if (options.site === undefined || options.site === "") {
    failFor("site")("is required: the absolute URL of the deployed site, e.g. https://example.com");
  }
  const site = absoluteHttpUrl(options.site, failFor("site"));
  site.search = "";
  site.hash = "";
  if (!site.pathname.endsWith("/")) site.pathname += "/";

  const { endpoint, webmentionEndpoint, endpointIsDefault } = resolveEndpoints(
    options,
    site,
    failFor,
  );

  const includeSameSite = options.includeSameSite ?? false;
  if (typeof includeSameSite !== "boolean") {
    failFor("includeSameSite")(`must be true or false, got ${describeValue(includeSameSite)}`);
  }
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  if (typeof stateDir !== "string" || stateDir === "") {
    failFor("stateDir")(`must be a non-empty directory path, got ${describeValue(stateDir)}`);
  }

  return {
    site,
    endpoint,
    webmentionEndpoint,
    endpointIsDefault,
    contentSelector: selectorList(options.contentSelector, failFor("contentSelector")),
    include: matcherList(options.include, [], failFor("include")),
    // User exclusions add to the default ones: a 404 page never takes part.
    exclude: [...DEFAULT_EXCLUDED_PAGES, ...matcherList(options.exclude, [], failFor("exclude"))],
    excludeLinks: matcherList(options.excludeLinks, [], failFor("excludeLinks")),
    includeSameSite,
    stateDir,
  };
}
