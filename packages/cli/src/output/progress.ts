import type { SettledPair } from "@static-pingback/core/send";
import cliProgress from "cli-progress";
import { type CliContext, isInteractive } from "../context.ts";
import { type Style, styleFor } from "./style.ts";

/** Reports settled pairs as they come: a bar on a terminal, one line each in CI. */
export interface ProgressReporter {
  start(total: number): void;
  settled(done: SettledPair): void;
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
  return `${status} ${entry.source} -> ${entry.target}${detail}`;
}

export function createProgress(context: CliContext, quiet: boolean): ProgressReporter {
  if (quiet) return { start() {}, settled() {}, note() {}, stop() {} };
  const style = styleFor(context, "stderr");
  if (!isInteractive(context)) {
    const lineStyle = styleFor(context, "stdout");
    return {
      start() {},
      settled(done) {
        context.stdout.write(`${pairLine(done, lineStyle)}\n`);
      },
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
      format: "sending {bar} {value}/{total} {outcomes}",
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(total) {
      bar.start(total, 0, { outcomes: "" });
    },
    settled(done) {
      counts.set(done.entry.status, (counts.get(done.entry.status) ?? 0) + 1);
      bar.increment(1, { outcomes: summary() });
    },
    note(message) {
      // Printed above the bar, which redraws on its next update.
      context.stderr.write(`\r\u001b[K${message}\n`);
    },
    stop() {
      bar.stop();
    },
  };
}
