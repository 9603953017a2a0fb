import { existsSync } from "node:fs";
import {
  ACTION_DONE,
  checkUri,
  MODERATION_HEADER,
  type ModerationAction,
  moderate,
  moderationRows,
  normaliseUri,
  PINGBACK_STATUSES,
  type PingbackStatus,
  parseIds,
  RebuildHook,
  SqlitePingbackStore,
} from "@static-pingback/receiver";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { DEFAULT_DATABASE } from "../options.ts";
import { formatTable } from "../output/table.ts";
import type { CommandModule } from "./command.ts";
import { HOST_ACTIONS, type HostAction, runErase, runHostAction } from "./moderate-hosts.ts";

interface ModerateFlags {
  db: string;
  status?: string;
  target?: string;
  limit: string;
  json?: boolean;
  rebuildHook?: string;
  author?: string;
  host?: string;
}

const ACTIONS: readonly ModerationAction[] = ["approve", "reject", "spam", "pending", "delete"];

function fail(context: CliContext, message: string): void {
  context.stderr.write(`error: ${message}\n`);
  context.exitCode = EXIT.usage;
}

async function runModerate(
  action: string,
  idArgs: string[],
  flags: ModerateFlags,
  context: CliContext,
): Promise<void> {
  const hostAction = HOST_ACTIONS.includes(action as HostAction);
  if (
    action !== "list" &&
    action !== "erase" &&
    !hostAction &&
    !ACTIONS.includes(action as ModerationAction)
  ) {
    return fail(
      context,
      `unknown action "${action}" (list, ${ACTIONS.join(", ")}, ${HOST_ACTIONS.join(", ")}, erase)`,
    );
  }
  if (flags.status !== undefined && !PINGBACK_STATUSES.includes(flags.status as PingbackStatus)) {
    return fail(context, `--status must be one of ${PINGBACK_STATUSES.join(", ")}`);
  }
  if (!existsSync(flags.db)) {
    context.stderr.write(`error: no pingback database at ${flags.db} (see --db)\n`);
    context.exitCode = EXIT.error;
    return;
  }
  const store = new SqlitePingbackStore(flags.db);
  try {
    if (hostAction) {
      context.exitCode = runHostAction(action as HostAction, idArgs, store, context, !!flags.json);
      return;
    }
    if (action === "erase") {
      context.exitCode = runErase(flags, store, context);
      return;
    }
    if (action === "list") {
      let target: string | undefined;
      if (flags.target !== undefined) {
        const checked = checkUri(flags.target);
        if (!checked.ok) return fail(context, "--target must be an absolute http(s) URL");
        target = normaliseUri(checked.url);
      }
      const rows = store.list({
        status: flags.status as PingbackStatus | undefined,
        target,
        limit: Number(flags.limit) || 100,
      });
      if (flags.json) context.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0) context.stdout.write("No pingbacks.\n");
      else context.stdout.write(`${formatTable(MODERATION_HEADER, moderationRows(rows))}\n`);
      context.exitCode = EXIT.ok;
      return;
    }
    let ids: number[];
    try {
      ids = parseIds(idArgs);
    } catch (error) {
      return fail(context, (error as Error).message);
    }
    if (ids.length === 0) return fail(context, `${action} needs at least one pingback id`);
    const result = await moderate(store, action as ModerationAction, ids);
    const done = ACTION_DONE[action as ModerationAction];
    context.stdout.write(`${result.changed.length} pingback(s) ${done}\n`);
    if (result.missing.length > 0) {
      context.stderr.write(`not found: ${result.missing.join(", ")}\n`);
    }
    if (action === "approve" && result.changed.length > 0 && flags.rebuildHook) {
      await new RebuildHook(flags.rebuildHook, 0, (error) =>
        context.stderr.write(`warning: ${error.message}\n`),
      ).fire();
    }
    context.exitCode = result.missing.length > 0 ? EXIT.error : EXIT.ok;
  } finally {
    store.close();
  }
}

export const moderateCommand: CommandModule = {
  name: "moderate",
  register(program: Command, context: CliContext) {
    program
      .command("moderate")
      .description(
        "list received mentions, approve/reject/spam/pending/delete them by id, trust or block hosts, erase a person's data",
      )
      .argument("<action>", `list, ${ACTIONS.join(", ")}, ${HOST_ACTIONS.join(", ")}, erase`)
      .argument("[args...]", "mention ids, or host names for trust/block/forget")
      .option("--db <path>", "SQLite database file of the receiver", DEFAULT_DATABASE)
      .option("--status <status>", `list only this status (${PINGBACK_STATUSES.join(", ")})`)
      .option("--target <url>", "list only pingbacks of this page")
      .option("--limit <n>", "list at most this many, newest first", "100")
      .option("--json", "list as JSON")
      .option("--rebuild-hook <url>", "POST this URL after approving, so the site rebuilds")
      .option("--author <url>", "erase: every mention by this author (their h-card URL)")
      .option("--host <host>", "erase: every mention from this source host")
      .action(async (action: string, ids: string[], flags: ModerateFlags) => {
        await runModerate(action, ids, flags, context);
      });
  },
};
