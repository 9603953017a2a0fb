import { cleanLine, DEFAULT_STATE_DIR } from "@static-pingback/core";
import {
  type ExplainedLink,
  type ExplainedPage,
  type ExplainedPair,
  type Explanation,
  explainBuild,
} from "@static-pingback/core/explain";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { outcomeText } from "../output/outcome.ts";
import { type Style, styleFor } from "../output/style.ts";
import type { CommandModule } from "./command.ts";
import { reportError, warn } from "./errors.ts";

interface ExplainFlags {
  dir: string;
  output?: string;
  json?: boolean;
}

const RESEND: Record<string, string> = {
  removed: "link removed: the next run sends the Webmention again, so the receiver drops it",
  "page-deleted": "page deleted: the next run sends the Webmention again, so the receiver drops it",
  "page-changed":
    "page changed: the next run sends the Webmention again, so the receiver updates it (off with --no-updates)",
};

const RECORDED: Record<string, string> = {
  removed: "link removed: recorded as removed; nothing to send (Pingback cannot take a ping back)",
  "page-deleted": "page deleted: recorded as removed; nothing to send",
  "page-changed": "page changed: recorded; Pingback targets are not pinged again",
  baseline: "baseline: a first run records it without sending (send --all sends it)",
  settled: "settled",
};

/** What the next send does with a pair, in words (state's texts came from the network: cleaned). */
export function stepText(pair: ExplainedPair): string {
  const { step, entry } = pair;
  const answer = entry ? outcomeText(entry) : "";
  const last = answer ? `; last answer: ${answer}` : "";
  switch (step.action) {
    case "send":
      if (step.why === "new") return "new: sent by the next run";
      if (step.why === "retry-due") {
        return `retry due: sent by the next run (attempt ${(entry?.attempts ?? 0) + 1}${last})`;
      }
      return RESEND[step.why] ?? step.why;
    case "wait":
      return `retry at ${step.nextAttemptAt ?? "a later run"} (after attempt ${entry?.attempts ?? 0}${last})`;
    case "record":
      return RECORDED[step.why] ?? step.why;
    case "none":
      return step.why === "baseline"
        ? "baseline: existed before the first run, not sent (send --all sends it)"
        : settledText(pair, answer);
  }
}

function settledText(pair: ExplainedPair, answer: string): string {
  const entry = pair.entry;
  const protocol = pair.protocol ?? entry?.protocol;
  const via = protocol ? ` by ${protocol === "webmention" ? "Webmention" : "Pingback"}` : "";
  if (!entry) return "settled";
  switch (entry.status) {
    case "sent":
      return `sent${via} ${entry.lastAttemptAt ?? ""}${entry.endpoint ? ` to ${cleanLine(entry.endpoint)}` : ""}`;
    case "already-registered":
      return "already registered (fault 48)";
    case "no-endpoint":
      return `no-endpoint: the target advertises neither Webmention nor Pingback${answer ? ` (${answer})` : ""}`;
    default:
      return `${entry.status}${answer ? ` (${answer})` : ""}`;
  }
}

function linkLine(link: ExplainedLink, style: Style): string {
  const reason = link.reason === "in-manifest" ? style.green(link.reason) : link.reason;
  const shown = cleanLine(link.target ?? link.href, 300);
  const detail = link.detail ? style.dim(` (${cleanLine(link.detail, 200)})`) : "";
  const times = link.count > 1 ? style.dim(` ×${link.count}`) : "";
  return `    ${reason.padEnd(link.reason === "in-manifest" ? reason.length + 2 : 18)}${shown}${detail}${times}`;
}

function pageText(page: ExplainedPage, style: Style): string {
  const lines: string[] = [];
  const state = page.enabled ? "taking part" : "not taking part (include/exclude)";
  const scope = page.scope
    ? `; content: ${page.scope}`
    : page.scope === null
      ? "; no content selector matched"
      : "";
  lines.push(`${style.bold(page.url)} ${style.dim(`(${state}${scope})`)}`);
  for (const note of page.notes) lines.push(`  ${style.yellow("note:")} ${note}`);
  if (page.links) {
    lines.push(page.links.length > 0 ? "  links:" : "  links: none");
    for (const link of page.links) lines.push(linkLine(link, style));
  }
  if (page.pairs.length > 0) {
    lines.push("  pairs:");
    for (const pair of page.pairs) {
      lines.push(`    ${cleanLine(pair.target, 300)}  ${style.dim("→")} ${stepText(pair)}`);
    }
  }
  return lines.join("\n");
}

function explanationText(explanation: Explanation, style: Style): string {
  const parts: string[] = [];
  if (explanation.site) {
    parts.push(`${explanation.site}, built ${explanation.builtAt ?? "(unknown)"}`);
  }
  for (const note of explanation.notes) parts.push(`${style.yellow("note:")} ${note}`);
  for (const page of explanation.pages) parts.push(pageText(page, style));
  return `${parts.join("\n\n")}\n`;
}

async function runExplain(page: string | undefined, flags: ExplainFlags, context: CliContext) {
  const explanation = await explainBuild({
    stateDir: flags.dir,
    ...(page !== undefined ? { page } : {}),
    ...(flags.output !== undefined ? { outputDir: flags.output } : {}),
    onWarning: (message) => warn(message, context),
  });
  if (flags.json) context.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
  else context.stdout.write(explanationText(explanation, styleFor(context)));
  const unknownPage =
    page !== undefined && explanation.pages.every((each) => !each.inManifest && !each.file);
  context.exitCode = explanation.site === undefined || unknownPage ? EXIT.error : EXIT.ok;
}

export const explainCommand: CommandModule = {
  name: "explain",
  register(program: Command, context: CliContext) {
    program
      .command("explain")
      .argument("[url]", "one page (absolute URL or path on the site); default: every page")
      .description(
        "why each link of a page is or is not pinged: every link with its reason, each pair's state and next step",
      )
      .option("--dir <path>", "state directory", DEFAULT_STATE_DIR)
      .option("--output <path>", "the built site, if not where the build said (build-record.json)")
      .option("--json", "print the explanation as JSON")
      .action(async (url: string | undefined, flags: ExplainFlags) => {
        try {
          await runExplain(url, flags, context);
        } catch (error) {
          context.exitCode = reportError(error, context);
        }
      });
  },
};
