/**
 * The README's CLI reference against the built CLI's `--help`: every command has a
 * subsection, every option a command lists (with its default) is in that subsection's
 * table, every option the table lists exists, and the exit-code tables agree.
 * Runs `node packages/cli/dist/bin.js <command> --help`: `pnpm build` first (`pnpm test` does).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../packages/cli/dist/bin.js", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

function help(...args: string[]): string {
  assert.ok(existsSync(bin), `${bin} is missing: run pnpm build first`);
  return execFileSync(process.execPath, [bin, ...args, "--help"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", COLUMNS: "80" },
  });
}

/** The lines of a help block ("Options:", "Commands:", "Exit codes:") up to the next blank line. */
function block(text: string, title: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(title);
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && line.trim() === "");
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

interface HelpOption {
  /** e.g. ["-q", "--quiet"] */
  flags: string[];
  /** The `(default: …)` value, quotes removed; undefined when none. */
  defaultValue: string | undefined;
}

/** Options of a help text; wrapped description lines are joined to their entry. */
function helpOptions(text: string): HelpOption[] {
  const entries: string[] = [];
  for (const line of block(text, "Options:")) {
    if (/^ {2}-/.test(line)) entries.push(line.trim());
    else if (entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries.map((entry) => {
    const [spec = ""] = entry.split(/\s{2,}/);
    const flags = spec.match(/--?[A-Za-z][\w-]*/g) ?? [];
    const raw = /\(default: (.+?)\)$/.exec(entry)?.[1];
    const defaultValue = raw === undefined ? undefined : raw.replace(/^"(.*)"$/, "$1");
    return { flags, defaultValue };
  });
}

/** The README section under `heading`, up to the next heading of its level or higher (code blocks skipped). */
function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  assert.notEqual(start, -1, `README.md has no "${heading}" heading`);
  let fenced = false;
  let end = lines.length;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && (/^(#+) /.exec(line)?.[1]?.length ?? 99) <= level) {
      end = index;
      break;
    }
  }
  return lines.slice(start + 1, end).join("\n");
}

/** Table rows (`| a | b |`) of a Markdown text, cells trimmed; header and rule rows skipped. */
function tableRows(text: string): string[][] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|[\s:-]+\|/.test(line))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.replaceAll("\\|", "|").trim()),
    );
}

/** Flags named in the first cell of option rows: "`-q, --quiet`" gives ["-q", "--quiet"]. */
function rowFlags(row: string[]): string[] {
  const first = row[0] ?? "";
  if (!first.startsWith("`-")) return [];
  return first.match(/(?<![\w-])--?[A-Za-z][\w-]*/g) ?? [];
}

const reference = section(readme, "## CLI reference");
const top = help();
const commands = block(top, "Commands:")
  .map((line) => /^ {2}(\w[\w-]*)/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined && name !== "help");

describe("README CLI reference matches --help", () => {
  it("the CLI has the commands the README documents, and no others", () => {
    assert.deepEqual(commands, [
      "send",
      "status",
      "explain",
      "discover",
      "ping",
      "serve",
      "moderate",
      "import",
    ]);
    const documented = [...reference.matchAll(/^### `([\w-]+)`$/gm)].map((match) => match[1]);
    assert.deepEqual(documented, commands);
  });

  it("the program's own options are documented", () => {
    for (const option of helpOptions(top)) {
      for (const flag of option.flags) {
        assert.match(reference, new RegExp(`${flag}(?![\\w-])`), `${flag} is not in the README`);
      }
    }
  });

  for (const command of commands) {
    describe(command, () => {
      const text = help(command);
      const doc = section(readme, `### \`${command}\``);
      const rows = tableRows(doc).filter((row) => rowFlags(row).length > 0);

      it("the usage line of --help is in the README", () => {
        const usage = /^Usage: (.+)$/m.exec(text)?.[1];
        assert.ok(usage, "no Usage line in --help");
        const args = usage.replace(/^static-pingback \S+ \[options\] ?/, "");
        assert.ok(
          doc.includes(`static-pingback ${command} `) && doc.includes(args),
          `README lacks the usage of ${command}: ${usage}`,
        );
      });

      for (const option of helpOptions(text)) {
        if (option.flags.includes("--help")) continue;
        const name = option.flags.join(", ");
        it(`${name} is in the options table, with its default`, () => {
          const row = rows.find((candidate) =>
            option.flags.every((flag) => rowFlags(candidate).includes(flag)),
          );
          assert.ok(row, `README's ${command} table has no row for ${name}`);
          const shown = option.defaultValue;
          if (shown !== undefined && shown !== "[]") {
            assert.ok(
              row.slice(1).some((cell) => cell.includes(shown)),
              `README's ${command} row for ${name} does not show the default ${shown}`,
            );
          }
        });
      }

      it("every option in the README's table exists", () => {
        const known = new Set(helpOptions(text).flatMap((option) => option.flags));
        for (const row of rows) {
          for (const flag of rowFlags(row)) {
            assert.ok(known.has(flag), `README documents ${flag} for ${command}; --help does not`);
          }
        }
      });
    });
  }

  it("the exit codes table lists the codes --help lists", () => {
    const fromHelp = block(top, "Exit codes:")
      .map((line) => /^\s+(\d+)\s/.exec(line)?.[1])
      .filter((code): code is string => code !== undefined);
    assert.ok(fromHelp.length > 0, "--help lists no exit codes");
    const fromReadme = tableRows(section(readme, "### Exit codes"))
      .map((row) => row[0] ?? "")
      .filter((cell) => /^\d+$/.test(cell));
    assert.deepEqual(fromReadme, fromHelp);
  });
});
