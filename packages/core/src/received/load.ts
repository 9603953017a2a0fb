import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fetchOwnJson } from "../net/fetch-own-json.ts";
import { saveAvatars } from "./avatars.ts";
import { type CachedFeed, cacheFile, readCache, writeCache } from "./cache.ts";
import { normalizeFeed } from "./normalize.ts";
import type { ResolvedReceived } from "./options.ts";
import type { ReceivedEntry } from "./types.ts";

/** Where the entries of a load came from. */
export type ReceivedOrigin = "file" | "network" | "cache" | "stale-cache" | "none";

export interface LoadedReceived {
  entries: ReceivedEntry[];
  /** With `avatars`: the photos saved in the cache, for copyAvatars to put into the output. */
  avatarFiles?: string[];
  /** Problems for the build log; none of them is fatal. */
  warnings: string[];
  from: ReceivedOrigin;
}

export interface LoadContext {
  /** Base for relative `file` and `cacheDir`. Default process.cwd(). */
  cwd?: string;
  /** Environment holding the webmention.io token. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Current time in ms, for cache ages. Default Date.now(). */
  now?: number;
  /** The site's base path, for the saved avatars' paths. Default "/". */
  base?: string;
}

/** webmention.io pages through mentions; this many per request, at most MAX_PAGES requests. */
const PER_PAGE = 1000;
const MAX_PAGES = 20;
/**
 * A feed paged with `Link: rel="next"` (our receiver's export: 100 entries a page
 * unless the URL asks for up to 1,000 with `per-page`) is followed this far.
 */
const MAX_FEED_PAGES = 500;
const MAX_FEED_ENTRIES = 50_000;

/**
 * Loads received pingbacks. Never throws and never fails a build: a missing file,
 * an unreachable URL, an HTTP error, invalid JSON or a feed that does not match the
 * jf2 schema gives a warning and the cached copy (even expired) or no entries.
 * Remote sources are fetched at most once per `duration` and cached on disk.
 */
export async function loadReceived(
  options: ResolvedReceived,
  context: LoadContext = {},
): Promise<LoadedReceived> {
  const loaded = await loadEntries(options, context);
  if (!options.avatars || loaded.entries.length === 0) return loaded;
  const cacheDir = resolve(context.cwd ?? process.cwd(), options.cacheDir);
  const saved = await saveAvatars(loaded.entries, cacheDir, context.base ?? "/", options.avatars);
  return {
    ...loaded,
    entries: saved.entries,
    avatarFiles: saved.files,
    warnings: [...loaded.warnings, ...saved.warnings],
  };
}

async function loadEntries(
  options: ResolvedReceived,
  context: LoadContext,
): Promise<LoadedReceived> {
  const cwd = context.cwd ?? process.cwd();
  if (options.kind === "file") return loadFile(resolve(cwd, options.file));

  const env = context.env ?? process.env;
  const now = context.now ?? Date.now();
  const identity = sourceIdentity(options);
  const cacheDir = resolve(cwd, options.cacheDir);
  const file = cacheFile(cacheDir, identity);
  const cached = await readCache(file);
  const warnings: string[] = [];

  const useCache = (): LoadedReceived => ({
    entries: cached ? useCached(cached, identity, warnings) : [],
    warnings,
    from: cached ? "cache" : "none",
  });
  const fallBack = (why: string): LoadedReceived => {
    warnings.push(why);
    if (!cached) {
      warnings.push(`no cached copy of ${identity}: building without received pingbacks`);
      return { entries: [], warnings, from: "none" };
    }
    warnings.push(`using the copy of ${identity} cached at ${cached.fetchedAt}`);
    return { entries: useCached(cached, identity, warnings), warnings, from: "stale-cache" };
  };

  if (options.offline) return cached ? useCache() : fallBack(`offline: ${identity} not fetched`);
  if (cached && now - Date.parse(cached.fetchedAt) < options.durationMs) return useCache();

  let token: string | undefined;
  if (options.kind === "webmention.io") {
    token = env[options.tokenEnv];
    if (!token) {
      return fallBack(
        `environment variable ${options.tokenEnv} is not set: cannot ask webmention.io for ${options.domain}'s mentions`,
      );
    }
  }

  let feed: unknown;
  let normalized: ReturnType<typeof normalizeFeed>;
  try {
    feed =
      options.kind === "url"
        ? await fetchFeedPages(options.url, options)
        : await fetchWebmentionIo(options, token as string);
    normalized = normalizeFeed(feed, identity);
  } catch (error) {
    const message = redact((error as Error).message, token);
    return fallBack(`could not load received pingbacks from ${identity}: ${message}`);
  }
  if (normalized.dropped > 0) {
    warnings.push(droppedWarning(identity, normalized.dropped));
  }
  const entry: CachedFeed = {
    version: 1,
    source: identity,
    fetchedAt: new Date(now).toISOString(),
    feed,
  };
  try {
    await writeCache(file, cacheDir, entry);
  } catch (error) {
    warnings.push(`could not write the cache ${file}: ${(error as Error).message}`);
  }
  return { entries: normalized.entries, warnings, from: "network" };
}

async function loadFile(file: string): Promise<LoadedReceived> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : (error as Error).message;
    return {
      entries: [],
      warnings: [`received pingbacks file ${file} ${why}: building without them`],
      from: "none",
    };
  }
  try {
    const { entries, dropped } = normalizeFeed(JSON.parse(text.replace(/^\uFEFF/, "")), file);
    const warnings = dropped > 0 ? [droppedWarning(file, dropped)] : [];
    return { entries, warnings, from: "file" };
  } catch (error) {
    const message =
      error instanceof SyntaxError ? `${file} is not valid JSON` : (error as Error).message;
    return {
      entries: [],
      warnings: [`${message}: building without received pingbacks`],
      from: "none",
    };
  }
}

function useCached(cached: CachedFeed, identity: string, warnings: string[]): ReceivedEntry[] {
  try {
    return normalizeFeed(cached.feed, `${identity} (cached)`).entries;
  } catch (error) {
    warnings.push(`cached copy unusable: ${(error as Error).message}`);
    return [];
  }
}

/** The source as shown in logs and used as cache key: never contains the token. */
function sourceIdentity(options: ResolvedReceived): string {
  if (options.kind === "url") return options.url;
  if (options.kind === "webmention.io") {
    const url = new URL(options.apiUrl);
    url.searchParams.set("domain", options.domain);
    return url.href;
  }
  return options.file;
}

interface ReceivedFetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

function fetchReceived(url: string, limits: ReceivedFetchLimits) {
  const { timeoutMs, maxBytes } = limits;
  return fetchOwnJson(url, {
    timeoutMs,
    maxBytes,
    accept: "application/jf2feed+json, application/json;q=0.9",
    purpose: "received pingbacks",
  });
}

/**
 * A JF2 feed URL, following `Link: rel="next"` pages (our receiver's export is paged)
 * on the same origin, at most MAX_FEED_PAGES of them and MAX_FEED_ENTRIES entries.
 */
async function fetchFeedPages(url: string, limits: ReceivedFetchLimits): Promise<unknown> {
  const first = await fetchReceived(url, limits);
  const origin = new URL(url).origin;
  let next = first.next;
  const feed = first.body as { children?: unknown };
  if (
    next === undefined ||
    feed === null ||
    typeof feed !== "object" ||
    !Array.isArray(feed.children)
  ) {
    return first.body;
  }
  const children: unknown[] = [...feed.children];
  const seen = new Set([url]);
  for (
    let page = 1;
    page < MAX_FEED_PAGES && next !== undefined && children.length < MAX_FEED_ENTRIES;
    page++
  ) {
    if (new URL(next).origin !== origin || seen.has(next)) break;
    seen.add(next);
    const more = await fetchReceived(next, limits);
    const body = more.body as { children?: unknown };
    if (body === null || typeof body !== "object" || !Array.isArray(body.children)) break;
    children.push(...body.children);
    next = more.next;
  }
  return { ...feed, children };
}

async function fetchWebmentionIo(
  options: Extract<ResolvedReceived, { kind: "webmention.io" }>,
  token: string,
): Promise<unknown> {
  const children: unknown[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(options.apiUrl);
    url.searchParams.set("domain", options.domain);
    url.searchParams.set("token", token);
    url.searchParams.set("per-page", String(PER_PAGE));
    url.searchParams.set("page", String(page));
    const body = (await fetchReceived(url.href, options)).body as { children?: unknown };
    if (body === null || typeof body !== "object" || !Array.isArray(body.children)) {
      // Let the schema check name the problem.
      return body;
    }
    children.push(...body.children);
    if (body.children.length < PER_PAGE) break;
  }
  return { type: "feed", name: "Webmentions", children };
}

/** The token never reaches a log, raw or URL-encoded (error messages may quote the URL). */
function redact(message: string, token: string | undefined): string {
  if (!token) return message;
  let text = message;
  for (const form of new Set([
    token,
    encodeURIComponent(token),
    new URLSearchParams({ t: token }).toString().slice(2),
  ])) {
    text = text.split(form).join("***");
  }
  return text;
}

function droppedWarning(origin: string, dropped: number): string {
  const entries = dropped === 1 ? "1 entry" : `${dropped} entries`;
  return `${origin}: ${entries} without an http(s) source and target (or duplicated) ignored`;
}
