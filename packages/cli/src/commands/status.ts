import { DEFAULT_STATE_DIR } from "@static-pingback/core";
import {
  countByStatus,
  PAIR_STATUSES,
  readState,
  type StateEntry,
} from "@static-pingback/core/send";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { outcomeText } from "../output/outcome.ts";
import { styleFor } from "../output/style.ts";
import { formatTable } from "../output/table.ts";
import type { CommandModule } from "./command.ts";
import { reportError, warn } from "./errors.ts";

interface StatusFlags {
  dir: string;
  json?: boolean;
}

function byNextAttempt(a: StateEntry, b: StateEntry): number {
  return (a.nextAttemptAt ?? "").localeCompare(b.nextAttemptAt ?? "");
}

async function runStatus(flags: StatusFlags, context: CliContext): Promise<void> {
  const state = await readState(flags.dir, { onWarning: (message) => warn(message, context) });
  const pairs = state?.pairs ?? [];
  const counts = countByStatus(pairs);
  const pending = pairs.filter((pair) => pair.status === "failed").sort(byNextAttempt);
  const failures = pairs.filter((pair) => pair.status === "rejected");
  // Pairs by the protocol of their last attempt ("none": no endpoint found yet).
  const byProtocol: Record<string, number> = { webmention: 0, pingback: 0, none: 0 };
  for (const pair of pairs)
    byProtocol[pair.protocol ?? "none"] = (byProtocol[pair.protocol ?? "none"] ?? 0) + 1;
  const gone = pairs.filter((pair) => pair.gone !== undefined).length;
  if (flags.json) {
    context.stdout.write(
      `${JSON.stringify({ dir: flags.dir, exists: state !== undefined, counts, byProtocol, gone, pending, failures }, null, 2)}\n`,
    );
    context.exitCode = EXIT.ok;
    return;
  }
  const style = styleFor(context);
  if (!state) {
    context.stdout.write(`No state yet in ${flags.dir} (static-pingback send has not run here).\n`);
    context.exitCode = EXIT.ok;
    return;
  }
  const rows = PAIR_STATUSES.map((status) => [status, String(counts[status])]);
  context.stdout.write(`${formatTable(["status", "pairs"], rows)}\n`);
  context.stdout.write(
    `\nBy protocol: ${byProtocol.webmention} Webmention, ${byProtocol.pingback} Pingback, ${byProtocol.none} none yet; ${gone} links gone from the site (removed or page deleted).\n`,
  );
  if (pending.length > 0) {
    context.stdout.write(`\n${style.bold("Pending retries:")}\n`);
    for (const pair of pending) {
      context.stdout.write(
        `  ${pair.nextAttemptAt ?? "next run"}  ${pair.source} -> ${pair.target} (attempt ${pair.attempts}: ${outcomeText(pair)})\n`,
      );
    }
  }
  if (failures.length > 0) {
    context.stdout.write(`\n${style.bold("Rejected:")}\n`);
    for (const pair of failures) {
      context.stdout.write(`  ${pair.source} -> ${pair.target}: ${outcomeText(pair)}\n`);
    }
  }
  context.exitCode = EXIT.ok;
}

export const statusCommand: CommandModule = {
  name: "status",
  register(program: Command, context: CliContext) {
    program
      .command("status")
      .description("counts by status, pending retries and when, failures with their reasons")
      .option("--dir <path>", "state directory", DEFAULT_STATE_DIR)
      .option("--json", "print the status as JSON")
      .action(async (flags: StatusFlags) => {
        try {
          await runStatus(flags, context);
        } catch (error) {
          context.exitCode = reportError(error, context);
        }
      });
  },
};
