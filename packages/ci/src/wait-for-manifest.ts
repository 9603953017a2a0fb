import { setTimeout as sleep } from "node:timers/promises";
import { createHttpClient } from "@static-pingback/core/net";

export interface WaitOptions {
  /** URL of the deployed `pingback-manifest.json`. */
  url: string;
  /** `generatedAt` of the manifest this build wrote. */
  generatedAt: string;
  /** Give up after this long (ms). 0 checks once. */
  timeoutMs: number;
  /** First pause between checks; doubles up to 15 s. Default 1,000 ms. */
  firstIntervalMs?: number;
  /** Called before each pause, for the log. */
  onWaiting?: (seen: string) => void;
}

export interface WaitResult {
  /** The deployed site serves this build's manifest (or a newer one). */
  ready: boolean;
  url: string;
  checks: number;
  waitedMs: number;
  /** What the last check saw: the deployed `generatedAt`, "404", or the error. */
  lastSeen: string;
}

/** The deployed manifest is the user's own site: private addresses are fine, bytes and time are bounded. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_INTERVAL_MS = 15_000;

type Check = { ready: boolean; seen: string };

function compareDeployed(body: Buffer, generatedAt: string): Check {
  let deployed: unknown;
  try {
    deployed = JSON.parse(body.toString("utf8").replace(/^\uFEFF/, ""));
  } catch {
    return { ready: false, seen: "a response that is not JSON" };
  }
  const seen = (deployed as { generatedAt?: unknown } | null)?.generatedAt;
  if (typeof seen !== "string") return { ready: false, seen: "JSON without generatedAt" };
  // A newer deploy already live is just as good: its pages are up too.
  const ready = seen === generatedAt || Date.parse(seen) > Date.parse(generatedAt);
  return { ready, seen: `generatedAt ${seen.slice(0, 40)}` };
}

/**
 * Polls the deployed manifest until its `generatedAt` is this build's, so pings go out
 * only once the new pages are live (a receiver fetches the source page to verify).
 * The published copy is byte-identical to `.pingback/manifest.json`, so `generatedAt`
 * names the build. Never throws for network trouble: the result says what was seen.
 */
export async function waitForDeployedManifest(options: WaitOptions): Promise<WaitResult> {
  const client = createHttpClient({
    allowPrivateNetworks: true,
    userAgentExtra: "deploy check",
    timeoutMs: REQUEST_TIMEOUT_MS,
    maxBytes: MAX_MANIFEST_BYTES,
    maxRedirects: 5,
  });
  const started = Date.now();
  const deadline = started + Math.max(0, options.timeoutMs);
  let interval = options.firstIntervalMs ?? 1_000;
  let checks = 0;
  let lastSeen = "";
  // A CDN may cache the old copy: ask past it (static hosts ignore the query).
  const url = new URL(options.url);
  url.searchParams.set("static-pingback", options.generatedAt);
  try {
    for (;;) {
      checks += 1;
      let check: Check;
      try {
        const remaining = Math.max(1_000, deadline - Date.now());
        const response = await client.request(url.href, {
          headers: { accept: "application/json", "cache-control": "no-cache" },
          timeoutMs: Math.min(REQUEST_TIMEOUT_MS, remaining),
        });
        check =
          response.status === 200
            ? compareDeployed(response.body, options.generatedAt)
            : { ready: false, seen: `HTTP ${response.status}` };
      } catch (error) {
        check = { ready: false, seen: (error as Error).message.slice(0, 200) };
      }
      lastSeen = check.seen;
      const result = { url: options.url, checks, waitedMs: Date.now() - started, lastSeen };
      if (check.ready) return { ready: true, ...result };
      const pause = Math.min(interval, deadline - Date.now());
      if (pause <= 0) return { ready: false, ...result };
      options.onWaiting?.(check.seen);
      await sleep(pause);
      interval = Math.min(interval * 2, MAX_INTERVAL_MS);
    }
  } finally {
    await client.close();
  }
}
