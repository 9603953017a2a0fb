import { isJsonObject } from "../files/is-json-object.ts";
import { booleanOption, positiveIntegerOption } from "../options/build-options.ts";
import { rejectUnknownOptions } from "../options/known-options.ts";
import { PingbackOptionsError } from "../options/options-error.ts";
import type { AvatarOptions } from "./avatars.ts";

/** Where received pingbacks come from: exactly one of `file`, `url`, `webmentionIo`. */
export interface ReceivedSourceOptions {
  /** A local JF2 JSON file (path relative to the working directory). */
  file?: string;
  /** A JF2 export URL, e.g. our receiver's `/pingbacks.jf2`. */
  url?: string;
  /** webmention.io's API; `true` uses the site's domain and $WEBMENTION_IO_TOKEN. */
  webmentionIo?:
    | true
    | {
        /** Domain registered at webmention.io. Default: the site's host name. */
        domain?: string;
        /** Environment variable holding the API token. Default "WEBMENTION_IO_TOKEN". */
        tokenEnv?: string;
        /** API address, for testing or a compatible service. */
        apiUrl?: string;
      };
  /** How long a fetched copy is used without asking again: "30s", "10m", "1h", "2d", "1w", "1y", "*" (forever), "0s" (always ask). Default "1h". */
  duration?: string;
  /** Cache directory for fetched copies. Default ".cache/static-pingback". */
  cacheDir?: string;
  /** Never fetch; use the cached copy whatever its age (or nothing). Default false. */
  offline?: boolean;
  /** Per-request timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Largest response accepted, in bytes. Default 10 MiB. */
  maxBytes?: number;
  /**
   * Save the authors' photos at build time into the site's output (`/_pingback-avatars/`)
   * and show them: readers' browsers then ask no one else. Default false.
   */
  avatars?:
    | boolean
    | {
        /** Largest photo kept, in bytes. Default 65536. */
        maxBytes?: number;
        /** Most photos per build. Default 500. */
        maxCount?: number;
        /** Fetch from private addresses too (a test, a LAN). Default false. */
        allowPrivateNetworks?: boolean;
      };
}

/**
 * The `received` option: a file path, a URL, the string "webmention.io", or the
 * object form. Strings starting with http:// or https:// are URLs.
 */
export type ReceivedOption = string | ReceivedSourceOptions;

/** `received` after validation. */
export type ResolvedReceived = (
  | { kind: "file"; file: string }
  | { kind: "url"; url: string }
  | { kind: "webmention.io"; domain: string; tokenEnv: string; apiUrl: string }
) & {
  durationMs: number;
  cacheDir: string;
  offline: boolean;
  timeoutMs: number;
  maxBytes: number;
  /** Save and show the authors' photos; undefined: off. */
  avatars?: AvatarOptions | undefined;
};

const KNOWN: readonly string[] = [
  "file",
  "url",
  "webmentionIo",
  "duration",
  "cacheDir",
  "offline",
  "timeoutMs",
  "maxBytes",
  "avatars",
];
const AVATAR_KEYS: readonly string[] = ["maxBytes", "maxCount", "allowPrivateNetworks"];
const UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

export const WEBMENTION_IO_API = "https://webmention.io/api/mentions.jf2";
export const DEFAULT_TOKEN_ENV = "WEBMENTION_IO_TOKEN";
export const DEFAULT_CACHE_DIR = ".cache/static-pingback";

/** Parses an eleventy-fetch style duration ("1d", "*"); null when malformed. */
export function parseDuration(text: string): number | null {
  if (text === "*") return Number.POSITIVE_INFINITY;
  const match = /^(\d+(?:\.\d+)?)([smhdwy])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

/**
 * Validates the `received` option at the door (throws PingbackOptionsError naming
 * `received.<key>` and `packageName`). `site` supplies webmention.io's default domain.
 */
export function resolveReceivedOptions(
  input: unknown,
  packageName: string,
  site?: URL,
): ResolvedReceived {
  const fail = (key: string, problem: string): never => {
    throw new PingbackOptionsError(
      packageName,
      key === "" ? "received" : `received.${key}`,
      problem,
    );
  };
  let options: ReceivedSourceOptions;
  if (typeof input === "string") {
    if (input.trim() === "") fail("", "must not be empty");
    if (/^https?:\/\//i.test(input)) options = { url: input };
    else if (input === "webmention.io") options = { webmentionIo: true };
    else options = { file: input };
  } else if (isJsonObject(input)) {
    options = input as ReceivedSourceOptions;
  } else {
    return fail(
      "",
      `must be a file path, a URL, "webmention.io", or an object { file | url | webmentionIo, … }; got ${input === null ? "null" : typeof input}`,
    );
  }
  rejectUnknownOptions(options as Record<string, unknown>, KNOWN, packageName, "received");
  const sources = ["file", "url", "webmentionIo"].filter(
    (key) => (options as Record<string, unknown>)[key] !== undefined,
  );
  if (sources.length !== 1) {
    fail(
      "",
      `needs exactly one of file, url, webmentionIo; got ${sources.length === 0 ? "none" : sources.join(" and ")}`,
    );
  }

  const duration = options.duration ?? "1h";
  const durationMs = typeof duration === "string" ? parseDuration(duration) : null;
  if (durationMs === null) {
    fail(
      "duration",
      `must look like "30s", "10m", "1h", "1d", "1w", "1y" or "*", got ${JSON.stringify(duration)}`,
    );
  }
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  if (typeof cacheDir !== "string" || cacheDir === "")
    fail("cacheDir", "must be a non-empty directory path");
  const offline = booleanOption(options.offline, "received.offline", packageName, false);
  const timeoutMs = positiveIntegerOption(
    options.timeoutMs,
    "received.timeoutMs",
    packageName,
    10_000,
  );
  const maxBytes = positiveIntegerOption(
    options.maxBytes,
    "received.maxBytes",
    packageName,
    10 * 1024 * 1024,
  );
  const avatars = avatarOptions(options.avatars, timeoutMs, packageName, fail);
  const common = {
    durationMs: durationMs as number,
    cacheDir,
    offline,
    timeoutMs,
    maxBytes,
    ...(avatars ? { avatars } : {}),
  };

  if (options.file !== undefined) {
    if (typeof options.file !== "string" || options.file === "")
      fail("file", "must be a non-empty path");
    return { kind: "file", file: options.file, ...common };
  }
  if (options.url !== undefined) {
    return { kind: "url", url: httpUrlOption(options.url, (p) => fail("url", p)), ...common };
  }
  const wm = options.webmentionIo === true ? {} : options.webmentionIo;
  if (!isJsonObject(wm)) {
    return fail("webmentionIo", "must be true or an object { domain?, tokenEnv?, apiUrl? }");
  }
  const domain = wm.domain ?? site?.hostname;
  if (typeof domain !== "string" || !/^[a-z0-9.-]+$/i.test(domain)) {
    fail(
      "webmentionIo.domain",
      site ? "must be a host name such as example.com" : "is required when no site is given",
    );
  }
  const tokenEnv = wm.tokenEnv ?? DEFAULT_TOKEN_ENV;
  if (typeof tokenEnv !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
    fail(
      "webmentionIo.tokenEnv",
      "must be an environment variable name such as WEBMENTION_IO_TOKEN",
    );
  }
  const apiUrl = httpUrlOption(wm.apiUrl ?? WEBMENTION_IO_API, (p) =>
    fail("webmentionIo.apiUrl", p),
  );
  return { kind: "webmention.io", domain: domain as string, tokenEnv, apiUrl, ...common };
}

function avatarOptions(
  value: ReceivedSourceOptions["avatars"],
  timeoutMs: number,
  packageName: string,
  fail: (key: string, problem: string) => never,
): AvatarOptions | undefined {
  if (value === undefined || value === false) return undefined;
  const given = value === true ? {} : value;
  if (!isJsonObject(given)) {
    return fail(
      "avatars",
      "must be true, false or { maxBytes?, maxCount?, allowPrivateNetworks? }",
    );
  }
  rejectUnknownOptions(
    given as Record<string, unknown>,
    AVATAR_KEYS,
    packageName,
    "received.avatars",
  );
  const option = (key: string) => `received.avatars.${key}`;
  return {
    maxBytes: positiveIntegerOption(given.maxBytes, option("maxBytes"), packageName, 64 * 1024),
    maxCount: positiveIntegerOption(given.maxCount, option("maxCount"), packageName, 500),
    timeoutMs,
    allowPrivateNetworks: booleanOption(
      given.allowPrivateNetworks,
      option("allowPrivateNetworks"),
      packageName,
      false,
    ),
  };
}

function httpUrlOption(value: unknown, fail: (problem: string) => never): string {
  if (typeof value !== "string") return fail("must be an absolute http(s) URL string");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    fail(`must use http or https, got ${url.protocol}`);
  return url.href;
}
