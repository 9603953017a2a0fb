import { DEFAULT_STATE_DIR } from "@static-pingback/core";
import {
  PAIR_STATUSES,
  type PairDecision,
  type PairReason,
  type SendOptions,
  type SendPlan,
  type SendReport,
  sendPingbacks,
} from "@static-pingback/core/send";
import { type Command, Option } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { durationOption, integerOption } from "../options.ts";
import { createProgress } from "../output/progress.ts";
import { styleFor } from "../output/style.ts";
import { formatTable } from "../output/table.ts";
import type { CommandModule } from "./command.ts";
import { reportError, warn } from "./errors.ts";

interface SendFlags {
  dir: string;
  dryRun?: boolean;
  all?: boolean;
  updates: boolean;
  concurrency: number;
  hostInterval: number;
  timeout: number;
  maxAttempts: number;
  retries: number;
  checkSources?: boolean;
  allowPrivate?: boolean;
  json?: boolean;
  quiet?: boolean;
  strict?: boolean;
}

/** Why, in words, for the plan's lines. */
const WHY_WORDS: Record<PairReason, string> = {
  new: "new link",
  removed: "link removed from the page",
  "page-deleted": "page deleted",
  "page-changed": "page changed",
  "retry-due": "retry due",
  waiting: "retry not yet due",
  settled: "settled earlier",
  baseline: "existed before the first run",
};

function decisionLine(decision: PairDecision): string {
  const protocol = decision.protocol ? ` [${decision.protocol}]` : "";
  const when = decision.nextAttemptAt ? `, next attempt ${decision.nextAttemptAt}` : "";
  const what = decision.action === "none" ? "nothing" : decision.action;
  return `  ${what.padEnd(8)} ${decision.why.padEnd(13)} ${decision.source} -> ${decision.target}${protocol} (${WHY_WORDS[decision.why]}${when})`;
}

function planText(plan: SendPlan): string {
  const lines = [
    `${plan.candidates} pairs in manifest/outbox/state: ${plan.send.length} to send, ${plan.baseline.length} to record as baseline, ${plan.record.length} to record without sending, ${plan.waiting.length} waiting to retry, ${plan.settled} already settled${plan.firstRun ? " (first run)" : ""}`,
  ];
  for (const decision of plan.decisions) lines.push(decisionLine(decision));
  if (plan.firstRun && plan.baseline.length > 0) {
    lines.push(
      "First run: existing links are recorded as baseline and not sent (use --all to send them).",
    );
  }
  return lines.join("\n");
}

export function summaryTable(report: SendReport): string {
  const rows = PAIR_STATUSES.filter(
    (status) => report.counts[status] > 0 || report.totals[status] > 0,
  ).map((status) => [status, String(report.counts[status]), String(report.totals[status])]);
  return formatTable(["status", "this run", "in state"], rows);
}

/** The --json report: stable field names, no colour, one document. */
export function jsonReport(report: SendReport): unknown {
  return {
    dir: report.dir,
    dryRun: report.dryRun,
    firstRun: report.plan.firstRun,
    stopped: report.stopped,
    counts: report.counts,
    totals: report.totals,
    transientRemaining: report.transientRemaining,
    plan: {
      candidates: report.plan.candidates,
      send: report.plan.send.map(({ source, target }) => ({ source, target })),
      baseline: report.plan.baseline.length,
      waiting: report.plan.waiting.map(({ source, target, nextAttemptAt }) => ({
        source,
        target,
        nextAttemptAt,
      })),
      settled: report.plan.settled,
      record: report.plan.record.length,
      decisions: report.plan.decisions,
    },
    results: report.settled.map(({ entry }) => entry),
    outcomes: report.settled.map(({ entry }) => ({
      source: entry.source,
      target: entry.target,
      protocol: entry.protocol ?? null,
      status: entry.status,
      why: entry.change ?? "new",
      ...(entry.statusUrl ? { statusUrl: entry.statusUrl } : {}),
    })),
  };
}

async function runSend(flags: SendFlags, context: CliContext): Promise<void> {
  const style = styleFor(context);
  const progress = createProgress(context, Boolean(flags.quiet || flags.json || flags.dryRun));
  const stop = new AbortController();
  const abort = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (!stop.signal.aborted) {
      interrupted = true;
      progress.note(
        "Stopping: no new pings; waiting for those in flight (Ctrl-C again to abandon them).",
      );
      stop.abort();
    } else if (!abort.signal.aborted) {
      progress.note("Abandoning in-flight pings; writing state.");
      abort.abort();
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const options: SendOptions = {
    dir: flags.dir,
    dryRun: Boolean(flags.dryRun),
    all: Boolean(flags.all),
    updates: flags.updates,
    concurrency: flags.concurrency,
    hostIntervalMs: flags.hostInterval,
    timeoutMs: flags.timeout,
    maxAttempts: flags.maxAttempts,
    retriesPerRun: flags.retries,
    checkSources: Boolean(flags.checkSources),
    allowPrivateNetworks: Boolean(flags.allowPrivate),
    stop: stop.signal,
    signal: abort.signal,
    onPlan: (plan) => {
      if (flags.dryRun && !flags.json) context.stdout.write(`${planText(plan)}\n`);
      progress.start(plan.send.length);
    },
    onSettled: (done) => progress.settled(done),
    onWait: (wait) => progress.waiting(wait),
    onWarning: (message) => warn(message, context),
  };
  let report: SendReport;
  try {
    report = await sendPingbacks(options);
  } finally {
    progress.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  if (flags.json) {
    context.stdout.write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  } else if (!flags.dryRun) {
    if (report.plan.firstRun && report.plan.baseline.length > 0) {
      context.stdout.write(
        `First run: ${report.plan.baseline.length} existing pairs recorded as baseline, not sent (use --all to send them).\n`,
      );
    }
    if (!flags.quiet) context.stdout.write(`\n${summaryTable(report)}\n`);
    const problems = report.settled.filter(
      ({ entry }) => entry.status === "rejected" || entry.status === "failed",
    );
    if (problems.length > 0 && !flags.quiet) {
      context.stdout.write(`\n${style.bold("Not delivered:")}\n`);
      for (const { entry } of problems.slice(0, 20)) {
        const when = entry.nextAttemptAt ? ` — retry after ${entry.nextAttemptAt}` : "";
        context.stdout.write(
          `  ${entry.status} ${entry.source} -> ${entry.target}: ${entry.message ?? ""}${when}\n`,
        );
      }
      if (problems.length > 20)
        context.stdout.write(`  … and ${problems.length - 20} more (see static-pingback status)\n`);
    }
    if (flags.quiet) {
      const c = report.counts;
      context.stdout.write(
        `sent ${c.sent}, already-registered ${c["already-registered"]}, rejected ${c.rejected}, no-endpoint ${c["no-endpoint"]}, failed ${c.failed}, baseline ${c.baseline}, removed ${c.removed}\n`,
      );
    }
  }

  if (interrupted) context.exitCode = EXIT.interrupted;
  else if (flags.strict && report.transientRemaining > 0) context.exitCode = EXIT.transient;
  else context.exitCode = EXIT.ok;
}

export const sendCommand: CommandModule = {
  name: "send",
  register(program: Command, context: CliContext) {
    program
      .command("send")
      .description(
        "send Webmentions or pingbacks for new, removed and deleted links (run after deploy)",
      )
      .option(
        "--dir <path>",
        "state directory with manifest.json, outbox.json, state.json",
        DEFAULT_STATE_DIR,
      )
      .option("--dry-run", "print the plan; send nothing and touch no state")
      .option(
        "--all",
        "also send pairs recorded as baseline (e.g. on a first run) and retries not yet due",
      )
      .option(
        "--no-updates",
        "do not re-send Webmentions to the targets of a page whose content changed",
      )
      .option("--concurrency <n>", "requests in flight at once", integerOption(1), 4)
      .addOption(
        new Option(
          "--host-interval <duration>",
          "minimum time between pings to one host (WordPress refuses a 2nd within 15 s)",
        )
          .argParser(durationOption)
          .default(16_000, "16s"),
      )
      .addOption(
        new Option("--timeout <duration>", "deadline of each request")
          .argParser(durationOption)
          .default(10_000, "10s"),
      )
      .option(
        "--max-attempts <n>",
        "attempts over all runs before a failing pair is rejected",
        integerOption(1),
        5,
      )
      .option(
        "--retries <n>",
        "extra attempts within this run after a transient failure",
        integerOption(0),
        2,
      )
      .option(
        "--check-sources",
        "first fetch each source page as WordPress will (no redirects, first 150 KB) and hold back pairs it would refuse",
      )
      .option("--allow-private", "allow loopback/private/link-local addresses (tests, intranets)")
      .option("--strict", "exit 3 when transient failures remain")
      .option("--json", "print one machine-readable report on stdout")
      .option("-q, --quiet", "no progress and no table; one summary line")
      .action(async (flags: SendFlags) => {
        try {
          await runSend(flags, context);
        } catch (error) {
          context.exitCode = reportError(error, context);
        }
      });
  },
};
