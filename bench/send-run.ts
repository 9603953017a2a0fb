/**
 * One send run for bench/send.ts, in a fresh process so its peak RSS is its own.
 *
 *   node bench/send-run.ts <stateDir> <concurrency> <hostIntervalMs>
 * Prints {"wallMs", "maxRssMb", "counts"} as JSON.
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
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ wallMs, planMs, lastSettledMs, maxRssMb, counts: report.counts })}\n`,
);
