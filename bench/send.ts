/**
 * Send benchmark: N pairs across 100 loopback hosts, each answering every request
 * after 50 ms, host interval set low. Each host has one target page linked from
 * N/100 source pages: per host one discovery GET and N/100 pingback POSTs.
 * The same runs go to Pingback targets, to Webmention targets, and to a mix (every other
 * host Webmention): the scheduler, politeness and state are shared, so all three
 * should sit as close to the bound. Prints wall time beside the lower bound implied by the settings:
 *
 *   bound = max( requests × delay / concurrency ,  longest host chain )
 *   host chain = its requests × delay + (its pings − 1) × host interval
 *
 * and the ratio (goal <= 1.2×), then peak RSS and live heap of the sender as
 * pairs grow 10× (goal: flat). Peers run in their own process; each send run in a fresh one,
 * three times: a row gives the medians and the range of the ratios.
 *
 *   node bench/send.ts [--pairs 1000] [--hosts 100] [--delay 50] [--concurrency 16] [--interval 5]
 *                      [--runs 3] [--x10]
 *
 * Uses the built packages (dist/): run `pnpm build` first (`pnpm bench` does).
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { median, printTable } from "./support/report.ts";

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`bench/send.ts: --${name} needs a number`);
  return value;
}

const pairs = flag("pairs", 1000);
const hosts = flag("hosts", 100);
const delay = flag("delay", 50);
const concurrency = flag("concurrency", 16);
const interval = flag("interval", 5);
// Loopback timings on this machine wander by about 5% from one run to the next.
const repeats = flag("runs", 3);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const peers = spawn(
  process.execPath,
  [here("./send-peers.ts"), "--hosts", String(hosts), "--delay", String(delay)],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const lines = createInterface({ input: peers.stdout });
const nextLine = () => new Promise<string>((resolve) => lines.once("line", resolve));
const { ports } = JSON.parse(await nextLine()) as { ports: number[] };

type Mode = "pingback" | "webmention" | "mixed";

/** The target page on a host: under /wm/ it advertises Webmention, else Pingback. */
function targetOn(port: number, host: number, mode: Mode): string {
  const webmention = mode === "webmention" || (mode === "mixed" && host % 2 === 0);
  return `http://127.0.0.1:${port}/${webmention ? "wm/" : ""}post`;
}

async function siteFiles(count: number, mode: Mode): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), "sp-bench-send-")), ".pingback");
  await mkdir(dir, { recursive: true });
  const perHost = Math.ceil(count / hosts);
  const pages: Record<string, { pingback: boolean; links: string[] }> = {};
  let made = 0;
  for (let s = 0; s < perHost; s++) {
    const links: string[] = [];
    for (const [host, port] of ports.entries()) {
      if (made++ >= count) break;
      links.push(targetOn(port, host, mode));
    }
    pages[`https://me.example/post-${String(s).padStart(5, "0")}/`] = {
      pingback: true,
      links: links.sort(),
    };
  }
  const generatedAt = new Date().toISOString();
  await writeFile(
    join(dir, "manifest.json"),
    JSON.stringify({
      version: 1,
      site: "https://me.example/",
      endpoint: "https://me.example/xmlrpc",
      generatedAt,
      pages,
    }),
  );
  return dir;
}

/** Pings, plus one discovery per host. */
function requestsOf(count: number): number {
  return count + Math.min(hosts, count);
}

function bound(count: number): number {
  const pingsPerHost = Math.ceil(count / hosts);
  const requests = requestsOf(count);
  const chain = (pingsPerHost + 1) * delay + (pingsPerHost - 1) * interval;
  return Math.max((requests * delay) / concurrency, chain);
}

interface Run {
  wallMs: number;
  /** The sender process's CPU time, start-up included. */
  cpuMs: number;
  planMs: number;
  lastSettledMs: number;
  maxRssMb: number;
  liveHeapMb: number;
  counts: Record<string, number>;
}

async function run(count: number, mode: Mode): Promise<Run> {
  const dir = await siteFiles(count, mode);
  const { stdout } = await promisify(execFile)(process.execPath, [
    "--expose-gc",
    here("./send-run.ts"),
    dir,
    String(concurrency),
    String(interval),
  ]);
  await rm(join(dir, ".."), { recursive: true, force: true });
  const result = JSON.parse(stdout) as Run;
  if (result.counts.sent !== count)
    throw new Error(`expected ${count} sent, got ${JSON.stringify(result.counts)}`);
  return result;
}

console.log(
  `send: ${hosts} loopback hosts answering after ${delay} ms, concurrency ${concurrency}, host interval ${interval} ms`,
);
const rows: string[][] = [];
const runs: [Mode, number][] = [
  ...[pairs / 10, pairs, pairs * 10]
    .filter((n) => n >= hosts && (n <= pairs || process.argv.includes("--x10")))
    .map((n): [Mode, number] => ["pingback", n]),
  ["webmention", pairs],
  ["mixed", pairs],
];
for (const [mode, count] of runs) {
  const results: Run[] = [];
  for (let i = 0; i < repeats; i++) results.push(await run(count, mode));
  const mid = (pick: (r: Run) => number) => median(results.map(pick));
  const lower = bound(count);
  const ratios = results.map((r) => r.wallMs / lower);
  rows.push([
    mode,
    String(count),
    mid((r) => r.wallMs).toFixed(0),
    mid((r) => r.lastSettledMs - r.planMs).toFixed(0),
    // Slot time per request: what each request cost the run, idle slots included.
    ((mid((r) => r.lastSettledMs - r.planMs) * concurrency) / requestsOf(count)).toFixed(1),
    mid((r) => r.cpuMs).toFixed(0),
    lower.toFixed(0),
    `${median(ratios).toFixed(2)}x`,
    `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    mid((r) => r.maxRssMb).toFixed(1),
    mid((r) => r.liveHeapMb).toFixed(1),
  ]);
}
printTable(
  [
    "protocol",
    "pairs",
    "wall ms",
    "sending ms",
    "slot ms/req",
    "CPU ms",
    "bound ms",
    "ratio",
    "range",
    "peak RSS MB",
    "live heap MB",
  ],
  rows,
);
console.log(
  `each row: the median of ${repeats} runs (--runs), with the range of their ratios.\n` +
    "goal: ratio <= 1.20x at the headline size; memory flat as pairs grow 10x (--x10 adds 10x the headline).\n" +
    "ratio = wall / bound; wall includes reading files, the lock and the final state write.\n" +
    `slot ms/req = sending ms x concurrency / requests: against the peers' ${delay} ms, the cost of a request, idle slots included.\n` +
    "live heap = heap after a forced GC at the end; peak RSS also counts garbage V8 has not collected yet.",
);
peers.stdin.end();
