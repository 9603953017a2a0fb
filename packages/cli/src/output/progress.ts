import type { SchedulerWait, SettledPair } from "@static-pingback/core/send";
import cliProgress from "cli-progress";
import { type CliContext, isInteractive } from "../context.ts";
import { type Style, styleFor } from "./style.ts";

/** Reports settled pairs as they come: a bar on a terminal, one line each in CI. */
export interface ProgressReporter {
  start(total: number): void;
  settled(done: SettledPair): void;
  /** Nothing in flight: the run waits for a host (undefined when it goes on). */
  waiting(wait: SchedulerWait | undefined): void;
  note(message: string): void;
  stop(): void;
}

const OUTCOMES = ["sent", "already-registered", "rejected", "no-endpoint", "failed"] as const;

function colourFor(style: Style, status: string): (text: string) => string {
  if (status === "sent" || status === "already-registered") return style.green;
  if (status === "failed") return style.yellow;
  if (status === "rejected") return style.red;
  return style.dim;
}

/** One plain line per pair: stable, greppable, fine in CI logs. */
export function pairLine(done: SettledPair, style: Style): string {
  const { entry } = done;
  const status = colourFor(style, entry.status)(entry.status.padEnd(18));
  const detail = entry.status === "sent" ? "" : ` ${style.dim(`(${entry.message ?? ""})`)}`;
  const via = entry.protocol
    ? ` ${style.dim(`[${entry.protocol}${entry.change && entry.change !== "new" ? `, ${entry.change}` : ""}]`)}`
    : "";
  return `${status} ${entry.source} -> ${entry.target}${via}${detail}`;
}

export function createProgress(context: CliContext, quiet: boolean): ProgressReporter {
  if (quiet) return { start() {}, settled() {}, waiting() {}, note() {}, stop() {} };
  const style = styleFor(context, "stderr");
  if (!isInteractive(context)) {
    const lineStyle = styleFor(context, "stdout");
    return {
      start() {},
      settled(done) {
        context.stdout.write(`${pairLine(done, lineStyle)}\n`);
      },
      waiting() {},
      note(message) {
        context.stderr.write(`${message}\n`);
      },
      stop() {},
    };
  }
  const counts = new Map<string, number>();
  const summary = () =>
    OUTCOMES.filter((status) => counts.get(status))
      .map((status) => colourFor(style, status)(`${status} ${counts.get(status)}`))
      .join(" · ");
  const bar = new cliProgress.SingleBar(
    {
      stream: context.stderr as NodeJS.WritableStream,
      format: "sending {bar} {value}/{total} {outcomes}{waiting}",
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  // While the run waits for a host, the bar says so and counts down every second.
  let wait: SchedulerWait | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const showWait = () => {
    bar.update({ waiting: wait ? style.dim(`  ${waitingText(wait, Date.now())}`) : "" });
  };
  return {
    start(total) {
      bar.start(total, 0, { outcomes: "", waiting: "" });
    },
    settled(done) {
      counts.set(done.entry.status, (counts.get(done.entry.status) ?? 0) + 1);
      bar.increment(1, { outcomes: summary() });
    },
    waiting(next) {
      wait = next;
      if (ticker) clearInterval(ticker);
      ticker = wait ? setInterval(showWait, 1_000) : undefined;
      ticker?.unref();
      showWait();
    },
    note(message) {
      // Printed above the bar, which redraws on its next update.
      context.stderr.write(`\r\u001b[K${message}\n`);
    },
    stop() {
      if (ticker) clearInterval(ticker);
      bar.stop();
    },
  };
}

/** "waiting 14s for blog.example (--host-interval)", or "(retry backoff)". */
export function waitingText(wait: SchedulerWait, now: number): string {
  const seconds = Math.max(0, Math.ceil((wait.until - now) / 1000));
  const why = wait.reason === "interval" ? "--host-interval" : "retry backoff";
  return `waiting ${seconds}s for ${wait.host} (${why})`;
}
