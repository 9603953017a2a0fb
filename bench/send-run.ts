/**
 * One send run for bench/send.ts, in a fresh process so its peak RSS is its own.
 *
 *   node bench/send-run.ts <stateDir> <concurrency> <hostIntervalMs>
 * Prints {"wallMs", "cpuMs", "planMs", "lastSettledMs", "maxRssMb", "liveHeapMb", "counts"} as JSON.
 */
import { sendPingbacks } from "@static-pingback/core/send";

const [dir, concurrency, interval] = process.argv.slice(2);
const started = performance.now();
let planMs = 0;
let lastSettledMs = 0;
const report = await sendPingbacks({
  dir: dir as string,
  all: true,
  concurrency: Number(concurrency),
  hostIntervalMs: Number(interval),
  allowPrivateNetworks: ["127.0.0.1/32"],
  timeoutMs: 10_000,
  onPlan: () => {
    planMs = performance.now() - started;
  },
  onSettled: () => {
    lastSettledMs = performance.now() - started;
  },
});
const wallMs = performance.now() - started;
const { user, system } = process.cpuUsage();
const cpuMs = (user + system) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// Live heap once garbage is collected (run with --expose-gc): what the run retains.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const liveHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
process.stdout.write(
  `${JSON.stringify({ wallMs, cpuMs, planMs, lastSettledMs, maxRssMb, liveHeapMb, counts: report.counts })}\n`,
);
