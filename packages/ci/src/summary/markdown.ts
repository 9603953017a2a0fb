import { cleanLine } from "./clean.ts";
import {
  countOf,
  countOutcomes,
  OUTCOME_ORDER,
  type Protocol,
  type RunSummary,
  type SummaryPair,
} from "./model.ts";

const PROTOCOL_NAMES: Record<Protocol, string> = { pingback: "Pingback", webmention: "Webmention" };
/** GitHub caps a step summary at 1 MiB; a long list helps nobody anyway. */
export const MAX_TABLE_ROWS = 100;

/**
 * Text for a Markdown table cell or paragraph: no HTML, no inline syntax, no cell break,
 * no autolink (a fault string is the peer's words, not a link to follow).
 */
export function escapeCell(text: string): string {
  return cleanLine(text, 400)
    .replace(/[\\`*_[\]~|$@]/g, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/:\/\//g, "\\://")
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\\.`)
    .replace(/^[#+=-]/, "\\$&")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A URL as a code span (no autolink, no HTML), safe inside a table cell. */
export function codeCell(url: string): string {
  const text = cleanLine(url, 400).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function protocolsOf(summary: RunSummary): Protocol[] {
  const seen = new Set(summary.pairs.map((pair) => pair.protocol));
  return (Object.keys(PROTOCOL_NAMES) as Protocol[]).filter((protocol) => seen.has(protocol));
}

/** "2 sent, 1 rejected, 1 failed, 3 baseline": this run's outcomes, in a fixed order. */
export function headline(summary: RunSummary): string {
  if (summary.failure) return "send failed";
  const counts = countOutcomes(summary.pairs);
  const parts = OUTCOME_ORDER.filter((outcome) => counts.has(outcome)).map((outcome) => {
    const total = [...(counts.get(outcome)?.values() ?? [])].reduce((a, b) => a + b, 0);
    return `${total} ${outcome}`;
  });
  if (summary.plannedBaseline > 0) parts.push(`${summary.plannedBaseline} would be baseline`);
  for (const outcome of ["excluded", "same-site"] as const) {
    const held = summary.heldAtBuild.filter((link) => link.outcome === outcome).length;
    if (held > 0) parts.push(`${held} ${outcome} at build time`);
  }
  const settled = summary.settledEarlier > 0 ? `; ${summary.settledEarlier} settled earlier` : "";
  return `${parts.length > 0 ? parts.join(", ") : "nothing to send"}${settled}${summary.dryRun ? " (dry run)" : ""}`;
}

function countsTable(summary: RunSummary): string {
  const protocols = protocolsOf(summary);
  const counts = countOutcomes(summary.pairs);
  const header = ["outcome", ...protocols.map((protocol) => PROTOCOL_NAMES[protocol])];
  if (protocols.length > 1) header.push("total");
  const rows = OUTCOME_ORDER.filter((outcome) => counts.has(outcome)).map((outcome) => {
    const row = counts.get(outcome) ?? new Map();
    const cells = protocols.map((protocol) => String(row.get(protocol) ?? 0));
    if (protocols.length > 1) {
      cells.push(String([...row.values()].reduce((a: number, b: number) => a + b, 0)));
    }
    return [outcome, ...cells];
  });
  return table(header, rows);
}

function pairRows(
  pairs: readonly SummaryPair[],
  last: (pair: SummaryPair) => string,
): { rows: string[][]; more: number } {
  const rows = pairs
    .slice(0, MAX_TABLE_ROWS)
    .map((pair) => [
      codeCell(pair.source),
      codeCell(pair.target),
      PROTOCOL_NAMES[pair.protocol],
      last(pair),
    ]);
  return { rows, more: Math.max(0, pairs.length - MAX_TABLE_ROWS) };
}

function pairSection(
  title: string,
  pairs: readonly SummaryPair[],
  lastHeader: string,
  last: (pair: SummaryPair) => string,
): string[] {
  if (pairs.length === 0) return [];
  const { rows, more } = pairRows(pairs, last);
  const out = [
    `#### ${title} (${pairs.length})`,
    "",
    table(["source", "target", "protocol", lastHeader], rows),
  ];
  if (more > 0) out.push("", `… and ${more} more: run \`static-pingback status\` for all.`);
  return [...out, ""];
}

/** Content links of the changed pages that the build did not make pairs, and why. */
function heldSection(summary: RunSummary): string[] {
  const held = summary.heldAtBuild;
  if (held.length === 0) return [];
  const rows = held
    .slice(0, MAX_TABLE_ROWS)
    .map((link) => [codeCell(link.source), codeCell(link.target), escapeCell(link.reason)]);
  const out = [
    `#### Left out at build time (${held.length})`,
    "",
    table(["source", "link", "reason"], rows),
  ];
  const more = held.length - rows.length;
  if (more > 0) out.push("", `… and ${more} more: run \`static-pingback explain\` for all.`);
  return [...out, ""];
}

function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function totalsLine(summary: RunSummary): string {
  const parts = Object.entries(summary.totals)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([status, count]) => `${status} ${count}`);
  const state = parts.length > 0 ? parts.join(", ") : "empty";
  return `state.json after the run: ${state}; ${summary.stateChanged ? "changed" : "unchanged"} by this run.`;
}

/** The job summary in GitHub-flavoured Markdown (also Netlify's deploy summary text). */
export function renderMarkdown(summary: RunSummary, title = "static-pingback send"): string {
  const out = [`### ${title}`, ""];
  if (summary.dryRun) out.push("> Dry run: nothing was sent and the state was not touched.", "");
  for (const note of summary.notes) out.push(escapeCell(note), "");
  if (summary.failure) {
    out.push("**send did not complete:**", "", fenced(summary.failure), "");
    return `${out.join("\n")}\n`;
  }
  out.push(`**${escapeCell(headline(summary))}**`, "");
  if (summary.firstRun && countOf(summary, "baseline") + summary.plannedBaseline > 0) {
    out.push(
      "First run: the links that already existed are recorded as `baseline` and not sent (run `static-pingback send --all` once to send them).",
      "",
    );
  }
  if (summary.stopped) out.push("The run was stopped before its plan was done.", "");
  if (summary.pairs.length > 0) out.push(countsTable(summary), "");
  const sent = summary.pairs.filter(
    (pair) => pair.outcome === "sent" || pair.outcome === "planned",
  );
  const notSent = summary.pairs.filter(
    (pair) => pair.outcome !== "sent" && pair.outcome !== "planned",
  );
  out.push(
    ...pairSection(summary.dryRun ? "Would be sent" : "Sent", sent, "endpoint", (pair) =>
      pair.endpoint ? codeCell(pair.endpoint) : "",
    ),
    ...pairSection("Not sent", notSent, "reason", (pair) =>
      escapeCell(pair.reason ?? pair.outcome),
    ),
  );
  out.push(...heldSection(summary));
  if (!summary.dryRun) out.push(escapeCell(totalsLine(summary)), "");
  return `${out.join("\n")}\n`;
}
