import { rmSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SendOptions } from "../../src/send/index.ts";
import { encodeFault, encodeMethodResponse, parseMethodCall } from "../../src/xmlrpc/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";

/** Send options for loopback tests: loopback allowed, no host interval, short retries. */
export const FAST_SEND: SendOptions = {
  allowPrivateNetworks: ["127.0.0.1/32"],
  hostIntervalMs: 0,
  retryDelayMs: 5,
  timeoutMs: 3_000,
};

export type Answer =
  | { fault: number; message?: string }
  | { ok: string }
  | { http: number }
  /** A whole XML-RPC answer, as written. */
  | { xml: string };

/**
 * A pingback-enabled site on 127.0.0.1: every page advertises `/xmlrpc` by header,
 * and the endpoint counts what it receives per "source target" and answers with
 * `answer` (by default a success string).
 */
export interface PeerSite extends Loopback {
  received: Map<string, number>;
  /** Most requests this server had in flight at once. */
  maxInFlight: number;
  /** Start times (ms) of each ping. */
  pingTimes: number[];
  answer: (source: string, target: string, count: number) => Answer;
  page(path: string): string;
}

/**
 * `protocol: "webmention"`: pages advertise `/webmention` by a Link header instead, and
 * the endpoint counts form-encoded Webmentions the same way (answering 202, or the
 * `http` of `answer`).
 */
export async function startPeerSite(
  delayMs = 0,
  options: { protocol?: "pingback" | "webmention" } = {},
): Promise<PeerSite> {
  const webmention = options.protocol === "webmention";
  let inFlight = 0;
  const site = {} as PeerSite;
  const loopback = await startLoopback((req, res, body) => {
    inFlight += 1;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    const finish = () => {
      inFlight -= 1;
    };
    res.on("close", finish);
    const respond = () => {
      if (req.url === "/plain") {
        res.writeHead(200, { "content-type": "text/html" }).end("<title>no pingback</title>");
        return;
      }
      if (webmention && req.url === "/webmention") {
        site.pingTimes.push(Date.now());
        const form = new URLSearchParams(body);
        const key = `${form.get("source")} ${form.get("target")}`;
        const count = (site.received.get(key) ?? 0) + 1;
        site.received.set(key, count);
        const answer = site.answer(form.get("source") ?? "", form.get("target") ?? "", count);
        res.writeHead("http" in answer ? answer.http : 202).end();
        return;
      }
      if (req.url !== "/xmlrpc" || webmention) {
        const advert = webmention
          ? { link: "</webmention>; rel=webmention" }
          : { "x-pingback": `${site.url}/xmlrpc` };
        res.writeHead(200, { "content-type": "text/html", ...advert });
        res.end("<html><head><title>t</title></head><body>post</body></html>");
        return;
      }
      site.pingTimes.push(Date.now());
      const call = parseMethodCall(body);
      const key = `${call.params[0]} ${call.params[1]}`;
      const count = (site.received.get(key) ?? 0) + 1;
      site.received.set(key, count);
      const answer = site.answer(String(call.params[0]), String(call.params[1]), count);
      if ("http" in answer) {
        res.writeHead(answer.http).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/xml" });
      if ("xml" in answer) {
        res.end(answer.xml);
        return;
      }
      res.end(
        "ok" in answer
          ? encodeMethodResponse(answer.ok)
          : encodeFault(answer.fault, answer.message ?? ""),
      );
    };
    if (delayMs > 0) {
      const timer = setTimeout(respond, delayMs);
      // A client that gave up (or the server closing) cancels the answer.
      res.on("close", () => clearTimeout(timer));
    } else respond();
  });
  return Object.assign(site, loopback, {
    received: new Map<string, number>(),
    maxInFlight: 0,
    pingTimes: [],
    answer: () => ({ ok: "Thanks!" }),
    page: (path: string) => `${loopback.url}${path}`,
  });
}

/** Total pings received over several sites. */
export function totalReceived(sites: readonly PeerSite[]): number {
  let total = 0;
  for (const site of sites) for (const count of site.received.values()) total += count;
  return total;
}

/** Temporary directories made by writeSiteFiles, removed when the test process exits. */
const made: string[] = [];
process.once("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory (removed at exit) holding `.pingback/`. */
export async function tempStateDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "sp-send-"));
  made.push(root);
  return join(root, ".pingback");
}

/**
 * A state directory with manifest.json (and optionally outbox.json) for `links`;
 * without `dir`, a fresh temporary one that is removed when the test process exits.
 */
export async function writeSiteFiles(
  links: Record<string, string[]>,
  options: {
    dir?: string;
    previous?: string | null;
    added?: { source: string; target: string }[];
    /** Content fingerprints per source page (manifest `contentHash`). */
    hashes?: Record<string, string>;
  } = {},
): Promise<string> {
  const dir = options.dir ?? (await tempStateDir());
  await mkdir(dir, { recursive: true });
  const generatedAt = new Date().toISOString();
  const pages: Record<string, { pingback: boolean; links: string[]; contentHash?: string }> = {};
  for (const source of Object.keys(links).sort()) {
    const hash = options.hashes?.[source];
    pages[source] = {
      pingback: true,
      links: [...new Set(links[source])].sort(),
      ...(hash === undefined ? {} : { contentHash: hash }),
    };
  }
  const manifest = {
    version: 1,
    site: "https://me.example/",
    endpoint: "https://me.example/xmlrpc",
    generatedAt,
    pages,
  };
  await writeFile(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  if (options.previous !== undefined) {
    const added =
      options.added ??
      Object.entries(links).flatMap(([source, targets]) =>
        targets.map((target) => ({ source, target })),
      );
    const outbox = {
      version: 1,
      generatedAt,
      previousGeneratedAt: options.previous,
      added,
      removed: [],
      pagesAdded: [],
      pagesRemoved: [],
    };
    await writeFile(join(dir, "outbox.json"), `${JSON.stringify(outbox, null, 2)}\n`);
  }
  return dir;
}
