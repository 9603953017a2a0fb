/**
 * What hostile but cheap requests cost the receiver, all on loopback. The receiver
 * runs in its own process with its default limits (private networks allowed, the
 * rate limits raised so every request reaches the code under test); this process
 * is the attacker, the source server and the prober.
 *
 *   small bombs:  gzip pages of ~7 KB that decode to 800,000 nested <div> or 370,000 <a>,
 *                 pinged 10 at a time: the longest /healthz wait, the slowest ping answer,
 *                 the receiver's peak RSS
 *   export:       10,000 approved rows of ~4.6 KB, then 15 distinct `since` queries and
 *                 12 connections that do not read for 35 s: time per query, longest
 *                 /healthz wait, peak RSS, and how many the receiver closed meanwhile
 *   silent peer:  a connection that sends nothing, and one that sends half a header:
 *                 seconds until the receiver closes them
 *
 *   node bench/receiver-abuse.ts [--node-flags "..."] [--skip bombs,export,silent]
 *
 * Prints numbers and asserts nothing. Uses the built packages (dist/): run `pnpm build` first.
 */
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, get } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { encodePingbackPing } from "@static-pingback/core/xmlrpc";
import { printTable } from "./support/report.ts";

const SITE = "https://site.example/";
const TARGET = "https://site.example/posts/hello/";
const RECOMMENDED_NODE_FLAGS = "--max-old-space-size=64 --max-semi-space-size=8";
const MB = 1024 * 1024;

// ---- child: the receiver under test -------------------------------------------------
if (process.argv[2] === "--child") {
  const [dir] = process.argv.slice(3) as [string];
  const { createReceiver, SqlitePingbackStore, startNodeServer } = await import(
    "@static-pingback/receiver"
  );
  const loose = { capacity: 1e9, refillPerSecond: 1e9 };
  const store = new SqlitePingbackStore(join(dir, "abuse.db"), { durability: "normal" });
  const receiver = createReceiver({
    site: SITE,
    manifest: join(dir, "manifest.json"),
    store,
    allowPrivateNetworks: true,
    perClient: loose,
    perSourceHost: loose,
  });
  const running = await startNodeServer(receiver, { port: 0 });
  process.on("message", (message: string) => {
    if (message === "stop") void running.close().then(() => process.exit(0));
  });
  process.send?.({ origin: running.origin });
} else {
  await main();
}

// ---- parent -------------------------------------------------------------------------

/** The receiver's resident memory now and at its peak since the last reset (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return { rss: Number.NaN, peak: Number.NaN }; // the receiver died
  }
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not allowed here: the peak then counts from the start of the process.
  }
}

/** GETs /healthz every 25 ms on one keep-alive connection; reports the longest wait. */
function probeHealth(origin: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let longest = 0;
  let probes = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        get(`${origin}/healthz`, { agent }, (res) => {
          res.resume();
          res.on("end", resolve);
        }).on("error", () => resolve());
      });
      longest = Math.max(longest, performance.now() - started);
      probes++;
      await sleep(25);
    }
  })();
  return async () => {
    running = false;
    await loop;
    agent.destroy();
    return { longest, probes };
  };
}

interface Child {
  origin: string;
  pid: number;
  exited(): boolean;
  stop(): Promise<void>;
}

async function startChild(dir: string, nodeFlags: string[]): Promise<Child> {
  const child = fork(new URL(import.meta.url).pathname, ["--child", dir], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: nodeFlags,
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" },
  });
  const { origin } = (await new Promise((resolve) => child.once("message", resolve))) as {
    origin: string;
  };
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  return {
    origin,
    pid: child.pid as number,
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      child.send("stop");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

function writeManifest(dir: string): void {
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      version: 1,
      site: SITE,
      endpoint: "http://127.0.0.1/xmlrpc",
      generatedAt: new Date().toISOString(),
      pages: { [TARGET]: { pingback: true, links: [] } },
    }),
  );
}

async function post(endpoint: string, body: string): Promise<string> {
  const response = await fetch(endpoint, {
    method: "POST",
    body,
    headers: { "content-type": "text/xml" },
  });
  return response.text();
}

type Row = [string, string];

async function bombs(nodeFlags: string[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "sp-bench-abuse-"));
  writeManifest(dir);
  const head = `<!doctype html><html><head><title>bomb</title></head><body>`;
  const pages = {
    div: gzipSync(`${head}${"<div>".repeat(800_000)}<a href="${TARGET}">x</a>`, { level: 9 }),
    a: gzipSync(`${head}${"<a>".repeat(370_000)}<a href="${TARGET}">x</a>`, { level: 9 }),
  };
  const source = createServer((req, res) => {
    const kind = req.url?.includes("/div") ? "div" : "a";
    res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
    res.end(pages[kind]);
  });
  await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
  const sourceOrigin = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
  const child = await startChild(dir, nodeFlags);
  const endpoint = `${child.origin}/xmlrpc`;
  await post(endpoint, encodePingbackPing(`${sourceOrigin}/warm`, `${SITE}nope/`));
  const before = memoryOf(child.pid);
  resetPeak(child.pid);
  const stopProbe = probeHealth(child.origin);
  await sleep(200);
  const answers = new Map<string, number>();
  let slowest = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async (_, i) => {
      const t0 = performance.now();
      const text = await post(
        endpoint,
        encodePingbackPing(`${sourceOrigin}/${i % 2 ? "div" : "a"}/${i}`, TARGET),
      ).catch(() => "connection lost");
      slowest = Math.max(slowest, performance.now() - t0);
      const code =
        /<int>(-?\d+)<\/int>/.exec(text)?.[1] ??
        (text.includes("being verified")
          ? "queued"
          : text === "connection lost"
            ? "lost"
            : "registered");
      answers.set(code, (answers.get(code) ?? 0) + 1);
    }),
  );
  const allAnswered = performance.now() - started;
  await sleep(300);
  const probe = await stopProbe();
  const after = memoryOf(child.pid);
  const crashed = child.exited();
  await child.stop();
  source.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    ["bomb page size on the wire", `div ${pages.div.length} B, a ${pages.a.length} B`],
    ["10 bomb pings: answers", [...answers].map(([code, n]) => `${code}:${n}`).join(" ")],
    [
      "10 bomb pings: slowest answer",
      `${slowest.toFixed(0)} ms (all in ${allAnswered.toFixed(0)} ms)`,
    ],
    [
      "10 bomb pings: longest /healthz wait",
      `${probe.longest.toFixed(0)} ms (${probe.probes} probes)`,
    ],
    [
      "10 bomb pings: receiver RSS",
      crashed
        ? `${(before.rss / MB).toFixed(0)} MB before; the receiver process died`
        : `${(before.rss / MB).toFixed(0)} MB before, peak ${(after.peak / MB).toFixed(0)} MB`,
    ],
  ];
}

async function fillStore(dir: string, rows: number): Promise<void> {
  const { SqlitePingbackStore } = await import("@static-pingback/receiver");
  const store = new SqlitePingbackStore(join(dir, "abuse.db"), { durability: "normal" });
  const long = "x".repeat(1000);
  const batch = [];
  for (let i = 0; i < rows; i++) {
    batch.push({
      source: `https://blog${i % 50}.example/${long}/${i}`,
      target: TARGET,
      status: "approved" as const,
      verification: "verified" as const,
      clientIp: "192.0.2.1",
      post: {
        title: `A citing post ${i} `.padEnd(200, "t"),
        authorName: "An author".padEnd(100, "n"),
        authorUrl: `https://author.example/${long}`,
        published: "2026-03-04T05:06:07.000Z",
        lang: "en",
        excerpt: "An excerpt ".padEnd(280, "e"),
      },
      receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    });
  }
  await store.insertMany?.(batch);
  store.close();
}

/** A GET whose answer is never read: the receiver must buffer or drop it. */
function stalledGet(
  origin: string,
  path: string,
): Promise<{ socket: Socket; closed: Promise<number> }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once("error", reject);
    socket.once("connect", () => {
      const opened = performance.now();
      socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
      socket.pause();
      socket.removeListener("error", reject);
      socket.on("error", () => {});
      const closed = new Promise<number>((done) =>
        socket.once("close", () => done(performance.now() - opened)),
      );
      resolve({ socket, closed });
    });
  });
}

async function exportAbuse(nodeFlags: string[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "sp-bench-abuse-"));
  writeManifest(dir);
  await fillStore(dir, 10_000);
  const child = await startChild(dir, nodeFlags);
  const exportUrl = `${child.origin}/pingbacks.jf2`;
  await fetch(`${child.origin}/healthz`).then((r) => r.text());
  const before = memoryOf(child.pid);
  resetPeak(child.pid);
  const stopProbe = probeHealth(child.origin);
  const times: number[] = [];
  let bytes = 0;
  let link = "";
  let lost = 0;
  for (let i = 0; i < 15; i++) {
    const since = new Date(Date.UTC(2025, 0, 1) + i).toISOString();
    const t0 = performance.now();
    try {
      const response = await fetch(`${exportUrl}?since=${since}`);
      const body = await response.arrayBuffer();
      bytes = Math.max(bytes, body.byteLength);
      link ||= response.headers.get("link") ?? "";
    } catch {
      lost++;
    }
    times.push(performance.now() - t0);
  }
  const probe = await stopProbe();
  const afterQueries = memoryOf(child.pid);
  if (child.exited()) {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
    return [["export", `the receiver process died (${lost} of 15 queries lost)`]];
  }
  const stalled = await Promise.all(
    Array.from({ length: 12 }, () => stalledGet(child.origin, "/pingbacks.jf2")),
  );
  await sleep(3000);
  const afterStalled = memoryOf(child.pid);
  // A paused socket sees no FIN: wait, then read, and count those the receiver had closed
  // (they end as soon as the buffered bytes are read; an open keep-alive one does not).
  const wait = 35_000;
  await sleep(wait - 3000);
  for (const { socket } of stalled) socket.resume();
  const closedWithin = await Promise.all(
    stalled.map(({ closed }) => Promise.race([closed, sleep(2000).then(() => Number.NaN)])),
  );
  for (const { socket } of stalled) socket.destroy();
  await child.stop();
  rmSync(dir, { recursive: true, force: true });
  const closedCount = closedWithin.filter((t) => !Number.isNaN(t)).length;
  return [
    [
      "export: largest answer",
      `${(bytes / MB).toFixed(1)} MB${link ? ", with Link: rel=next" : ""}`,
    ],
    [
      "export: 15 distinct `since`",
      `${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms each`,
    ],
    ["export: longest /healthz wait", `${probe.longest.toFixed(0)} ms`],
    [
      "export: receiver RSS",
      `${(before.rss / MB).toFixed(0)} MB before, peak ${(afterQueries.peak / MB).toFixed(0)} MB after 15 queries, ${(afterStalled.rss / MB).toFixed(0)} MB with 12 unread answers`,
    ],
    [
      "export: 12 unread connections closed by the receiver",
      `${closedCount} of 12 within ${wait / 1000} s`,
    ],
  ];
}

async function silentPeers(nodeFlags: string[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "sp-bench-abuse-"));
  writeManifest(dir);
  const child = await startChild(dir, nodeFlags);
  const url = new URL(child.origin);
  const closeTime = (first: string) =>
    new Promise<number>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        const opened = performance.now();
        if (first) socket.write(first);
        socket.on("data", () => {});
        socket.on("error", () => {});
        const give = setTimeout(() => socket.destroy(), 60_000);
        socket.once("close", () => {
          clearTimeout(give);
          resolve(performance.now() - opened);
        });
      });
    });
  const [silent, half] = await Promise.all([
    closeTime(""),
    closeTime("POST /xmlrpc HTTP/1.1\r\nhost: x\r\n"),
  ]);
  await child.stop();
  rmSync(dir, { recursive: true, force: true });
  return [
    ["silent connection closed after", `${(silent / 1000).toFixed(1)} s`],
    ["half-sent headers closed after", `${(half / 1000).toFixed(1)} s`],
  ];
}

async function main(): Promise<void> {
  const flagsAt = process.argv.indexOf("--node-flags");
  const nodeFlags = (flagsAt === -1 ? RECOMMENDED_NODE_FLAGS : (process.argv[flagsAt + 1] ?? ""))
    .split(" ")
    .filter(Boolean);
  const skipAt = process.argv.indexOf("--skip");
  const skip = new Set(skipAt === -1 ? [] : (process.argv[skipAt + 1] ?? "").split(","));
  const rows: Row[] = [];
  if (!skip.has("bombs")) rows.push(...(await bombs(nodeFlags)));
  if (!skip.has("export")) rows.push(...(await exportAbuse(nodeFlags)));
  if (!skip.has("silent")) rows.push(...(await silentPeers(nodeFlags)));
  console.log(`receiver process node flags: ${nodeFlags.join(" ") || "(none)"}\n`);
  printTable(["case", "measured"], rows);
  console.log(
    "\ngoals: no /healthz wait over 500 ms, every ping answered within 3 s, bounded memory, stalled connections closed",
  );
}
