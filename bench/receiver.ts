/**
 * Receiver benchmark, all on loopback. The receiver runs in its own process
 * (so its RSS is its own); this process is the client and the source server.
 *
 *   fast rejects: bad XML, unknown target, duplicate      goal >= 5,000 req/s
 *   full verification: fetch + parse + store, new pairs   goal >= 500 req/s
 *   the same for Webmention: 400s (bad source, unknown target); new pairs answered 202 and
 *   timed until every background verification has finished (same goals)
 *   flood: 10,000 mixed requests, peak RSS of receiver    goal <= 150 MB
 *
 * Private networks are allowed for the benchmark only (the source is on 127.0.0.1);
 * rate limits are raised so they measure the work, not the limiter.
 *
 *   node bench/receiver.ts [--requests 20000] [--verifications 3000] [--concurrency 64]
 *                          [--node-flags "--max-old-space-size=64 --max-semi-space-size=8"]
 *
 * Uses the built packages (dist/): run `pnpm build` first (`pnpm bench` does).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodePingbackPing } from "@static-pingback/core/xmlrpc";
import { printTable } from "./support/report.ts";

const SITE = "https://site.example/";
const RECOMMENDED_NODE_FLAGS = "--max-old-space-size=64 --max-semi-space-size=8";
const TARGET = "https://site.example/posts/hello/";
/** Longer than any answer should take: the receiver's own source fetch gives up at 10 s. */
const ANSWER_TIMEOUT_MS = 30_000;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`bench/receiver.ts: --${name} needs a number`);
  return value;
}

// ---- child: the receiver under test -------------------------------------------------
if (process.argv[2] === "--child") {
  const [dir, durability] = process.argv.slice(3) as [string, "full" | "normal"];
  const { createReceiver, SqlitePingbackStore, startNodeServer } = await import(
    "@static-pingback/receiver"
  );
  const loose = { capacity: 1e9, refillPerSecond: 1e9 };
  const store = new SqlitePingbackStore(join(dir, "bench.db"), { durability });
  const receiver = createReceiver({
    site: SITE,
    manifest: join(dir, "manifest.json"),
    store,
    allowPrivateNetworks: true,
    perClient: loose,
    perSourceHost: loose,
    perSourceAddress: loose,
    // Every request comes from one loopback client to one loopback source.
    maxVerificationsPerClient: 1_000_000,
    maxQueuedVerifications: 4096,
  });
  // Every benchmark client connection comes from one loopback address.
  const running = await startNodeServer(receiver, { port: 0, maxConnectionsPerClient: 1024 });
  let peak = 0;
  let atPeak = process.memoryUsage();
  const sample = () => {
    const now = process.memoryUsage();
    if (now.rss > peak) {
      peak = now.rss;
      atPeak = now;
    }
  };
  setInterval(sample, 20).unref();
  process.on("message", (message: string) => {
    sample();
    if (message === "rss") {
      if (process.env.SP_BENCH_DEBUG) console.error(JSON.stringify(atPeak));
      process.send?.({ peakRss: peak, rss: process.memoryUsage().rss });
    }
    if (message === "reset") {
      peak = 0;
      process.send?.({ ok: true });
    }
    if (message === "idle") void receiver.idle().then(() => process.send?.({ idle: true }));
    if (message === "stop") void running.close().then(() => process.exit(0));
  });
  process.send?.({ origin: running.origin });
} else {
  await main();
}

// ---- parent: client, source server, report ------------------------------------------
interface Result {
  name: string;
  count: number;
  seconds: number;
  p50: number;
  p99: number;
  answers: Map<string, number>;
  peakRss: number;
}

interface RawClient {
  post(body: string): Promise<string>;
  /** A form POST to another path; resolves with the HTTP status and the body. */
  form(path: string, body: string): Promise<string>;
  close(): void;
}

/**
 * A minimal keep-alive HTTP/1.1 client on a raw socket: one request at a time,
 * the response framed by Content-Length. Far cheaper than node:http's client, so
 * the numbers measure the receiver rather than the load generator. A connection the
 * receiver closed (its keep-alive timeout passes while a run waits for the
 * verifications to finish) is opened again before the next request.
 */
async function rawClient(endpoint: URL): Promise<RawClient> {
  let socket = await openSocket();
  let buffer: Buffer = Buffer.alloc(0);
  let pending: ((text: string, status: string) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const answer = (text: string, status: string) => {
    clearTimeout(timer);
    const done = pending;
    pending = undefined;
    done?.(text, status);
  };

  function openSocket(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const fresh = connect(Number(endpoint.port), endpoint.hostname);
      fresh.setNoDelay(true);
      fresh.on("data", (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const head = buffer.subarray(0, headerEnd).toString("latin1");
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < headerEnd + 4 + length) return;
        const text = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
        buffer = buffer.subarray(headerEnd + 4 + length);
        answer(text, head.slice(9, 12));
      });
      // Closed under a request in flight: counted as "closed", never waited on forever.
      fresh.on("close", () => answer("closed", "closed"));
      fresh.once("error", reject);
      fresh.once("connect", () => resolve(fresh));
    });
  }

  async function send(request: string): Promise<[text: string, status: string]> {
    if (socket.destroyed) {
      buffer = Buffer.alloc(0);
      socket = await openSocket();
    }
    return new Promise((resolve) => {
      pending = (text, status) => resolve([text, status]);
      timer = setTimeout(() => answer("timeout", "timeout"), ANSWER_TIMEOUT_MS);
      socket.write(request);
    });
  }

  return {
    async post(body: string) {
      const [text, status] = await send(
        `POST ${endpoint.pathname} HTTP/1.1\r\nhost: ${endpoint.host}\r\ncontent-type: text/xml\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return status === "closed" || status === "timeout" ? status : text;
    },
    async form(path: string, body: string) {
      const [, status] = await send(
        `POST ${path} HTTP/1.1\r\nhost: ${endpoint.host}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return status;
    },
    close: () => socket.destroy(),
  };
}

async function main(): Promise<void> {
  const requests = flag("requests", 20_000);
  const verifications = flag("verifications", 3_000);
  const concurrency = flag("concurrency", 64);
  const flagsAt = process.argv.indexOf("--node-flags");
  // The production setting the README recommends: V8 otherwise grows the heap lazily
  // far past what the receiver keeps alive (measured: ~300 MB RSS without, ~150 MB with).
  const nodeFlags = (flagsAt === -1 ? RECOMMENDED_NODE_FLAGS : (process.argv[flagsAt + 1] ?? ""))
    .split(" ")
    .filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), "sp-bench-receiver-"));
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      version: 1,
      site: SITE,
      endpoint: "http://127.0.0.1/xmlrpc",
      generatedAt: new Date().toISOString(),
      pages: Object.fromEntries(
        Array.from({ length: 2000 }, (_, i) => [
          i === 0 ? TARGET : `${SITE}posts/p${i}/`,
          { pingback: true, links: [] },
        ]),
      ),
    }),
  );

  // A ~12 KB blog post citing the target, like a real source.
  const filler =
    "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n".repeat(140);
  const sourcePage = `<!doctype html><html lang="en"><head><title>A citing post</title></head><body><article class="h-entry"><h1 class="p-name">Citing</h1>${filler}<p>See <a href="${TARGET}">this</a>.</p></article></body></html>`;
  const source = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(sourcePage);
  });
  await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
  const sourceOrigin = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;

  const results: Result[] = [];
  for (const durability of ["full", "normal"] as const) {
    const child = fork(new URL(import.meta.url).pathname, ["--child", dir, durability], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      execArgv: nodeFlags,
      // The production setting the README recommends next to the heap flags: glibc
      // otherwise gives each of Node's threads its own malloc arena, ~10-20 MB of RSS
      // that is neither heap nor in use.
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" },
    });
    const ask = (message: string) =>
      new Promise<Record<string, number | string>>((resolve) => {
        child.once("message", (reply) => resolve(reply as Record<string, number | string>));
        child.send(message);
      });
    const { origin } = (await new Promise((resolve) => child.once("message", resolve))) as {
      origin: string;
    };
    const endpoint = new URL(`${origin}/xmlrpc`);
    const clients = await Promise.all(
      Array.from({ length: concurrency }, () => rawClient(endpoint)),
    );
    const post = (body: string) => (clients[0] as RawClient).post(body);
    const run = async (
      name: string,
      count: number,
      bodyFor: (i: number) => string,
      /** Webmention: form POSTs to /webmention, answers counted by HTTP status. */
      webmention?: { untilVerified: boolean },
    ) => {
      const latencies: number[] = [];
      const answers = new Map<string, number>();
      let next = 0;
      const started = performance.now();
      await Promise.all(
        clients.map(async (client) => {
          while (next < count) {
            const body = bodyFor(next++);
            const t0 = performance.now();
            const text = webmention
              ? await client.form("/webmention", body)
              : await client.post(body);
            latencies.push(performance.now() - t0);
            const code = webmention
              ? `http-${text}`
              : (/<int>(-?\d+)<\/int>/.exec(text)?.[1] ??
                (text === "closed" || text === "timeout"
                  ? text
                  : text.includes("queued")
                    ? "queued"
                    : "ok"));
            answers.set(code, (answers.get(code) ?? 0) + 1);
          }
        }),
      );
      // 202 only says "queued": the rate is of verifications done.
      if (webmention?.untilVerified) await ask("idle");
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      const { peakRss } = await ask("rss");
      await ask("reset");
      results.push({
        name: `${name} [${durability}]`,
        count,
        seconds,
        p50: at(0.5),
        p99: at(0.99),
        answers,
        peakRss: Number(peakRss),
      });
      // Progress on stderr: the table comes at the end, and a run takes minutes.
      console.error(`  ${name} [${durability}]: ${(count / seconds).toFixed(0)} req/s`);
    };

    const tag = durability === "full" ? "f" : "n";
    // Warm up both paths (JIT, sockets, SQLite page cache).
    await run("warm-up", 2000, (i) => encodePingbackPing(`https://b${i}.example/`, `${SITE}nope/`));
    results.pop();
    await run("warm-up", 300, (i) => encodePingbackPing(`${sourceOrigin}/w-${tag}/${i}`, TARGET));
    results.pop();
    await run(
      "fast reject: bad XML",
      requests,
      (i) => `<methodCall><methodName>pingback.ping</methodName><params>${i}`,
    );
    await run("fast reject: unknown target", requests, (i) =>
      encodePingbackPing(`https://blog.example/${i}`, `${SITE}missing/${i}/`),
    );
    await post(encodePingbackPing(`${sourceOrigin}/dup-${tag}`, TARGET));
    await run("fast reject: duplicate", requests, () =>
      encodePingbackPing(`${sourceOrigin}/dup-${tag}`, TARGET),
    );
    await run("full verification (new pair)", verifications, (i) =>
      encodePingbackPing(`${sourceOrigin}/v-${tag}/${i}`, TARGET),
    );
    const form = (source: string, target: string) =>
      new URLSearchParams({ source, target }).toString();
    await run(
      "webmention fast reject: bad source",
      requests,
      (i) => form(`ftp://blog.example/${i}`, TARGET),
      { untilVerified: false },
    );
    await run(
      "webmention fast reject: unknown target",
      requests,
      (i) => form(`https://blog.example/${i}`, `${SITE}missing/${i}/`),
      { untilVerified: false },
    );
    await run(
      "webmention verification (new pair, to the end)",
      verifications,
      (i) => form(`${sourceOrigin}/wm-${tag}/${i}`, TARGET),
      { untilVerified: true },
    );
    await run("flood: 10,000 mixed", 10_000, (i) => {
      const kind = i % 4;
      if (kind === 0) return "<methodCall><x>";
      if (kind === 1)
        return encodePingbackPing(`https://blog.example/f${i}`, `${SITE}missing/${i}/`);
      if (kind === 2) return encodePingbackPing(`${sourceOrigin}/dup-${tag}`, TARGET);
      return encodePingbackPing(`${sourceOrigin}/flood-${tag}/${i}`, TARGET);
    });
    for (const client of clients) client.close();
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  source.close();
  rmSync(dir, { recursive: true, force: true });

  console.log(
    `receiver process node flags: ${nodeFlags.join(" ") || "(none)"}; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? "2"}; client connections: ${concurrency}\n`,
  );
  printTable(
    ["scenario", "requests", "req/s", "p50 ms", "p99 ms", "peak RSS MB", "answers"],
    results.map((r) => [
      r.name,
      String(r.count),
      (r.count / r.seconds).toFixed(0),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      (r.peakRss / 1048576).toFixed(0),
      [...r.answers].map(([code, n]) => `${code}:${n}`).join(" "),
    ]),
  );
  console.log(
    "\ngoals: fast rejects >= 5,000 req/s, verifications >= 500 req/s, peak RSS <= 150 MB (of the receiver process)\ndurability full = fsync per stored ping (default), normal = survives kill -9 but not power loss",
  );
}
