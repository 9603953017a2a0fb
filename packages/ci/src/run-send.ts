import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { parseSendReport, type SendJsonReport } from "./send-report.ts";
import { type StateSnapshot, snapshotState, stateChanged } from "./state-snapshot.ts";

export interface RunSendOptions {
  /** State directory (`--dir`). */
  dir: string;
  dryRun?: boolean;
  strict?: boolean;
  concurrency?: number;
  /** More `send` flags, passed as given (e.g. `--check-sources`). */
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the CLI's own messages go, line by line (CI logs). */
  log?: (line: string) => void;
}

export interface SendRun {
  /** The CLI's exit code (0 ok, 1 input/state error, 3 strict with retries left, 130 interrupted). */
  exitCode: number;
  /** Undefined when the CLI failed before printing its report. */
  report: SendJsonReport | undefined;
  /** The last lines the CLI wrote to stderr: the error when it failed. */
  stderrTail: string;
  before: StateSnapshot;
  after: StateSnapshot;
  stateChanged: boolean;
}

const STDERR_TAIL_CHARS = 4_000;

/** The `static-pingback` executable of the CLI this package depends on. */
export function cliBinPath(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@static-pingback/cli/package.json");
  const { bin } = JSON.parse(readFileSync(packageJson, "utf8")) as {
    bin: Record<string, string>;
  };
  const relative = bin["static-pingback"];
  if (!relative) throw new Error("@static-pingback/cli declares no static-pingback bin");
  return resolve(dirname(packageJson), relative);
}

/** The `send` arguments for these options (always `--json`: the report is what we read). */
export function sendArguments(options: RunSendOptions): string[] {
  const args = ["send", "--json", "--dir", options.dir];
  if (options.dryRun) args.push("--dry-run");
  if (options.strict) args.push("--strict");
  if (options.concurrency !== undefined) args.push("--concurrency", String(options.concurrency));
  return [...args, ...(options.args ?? [])];
}

/**
 * Runs `static-pingback send --json` in a child process (the CLI's own behaviour, exit
 * codes and signal handling), and snapshots the state directory before and after.
 * A SIGINT/SIGTERM to this process is passed on, so the CLI writes its state and stops.
 */
export async function runSend(options: RunSendOptions): Promise<SendRun> {
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, options.dir);
  const before = await snapshotState(dir);
  const child = spawn(process.execPath, [cliBinPath(), ...sendArguments(options)], {
    cwd,
    env: { ...(options.env ?? process.env) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);

  let stdout = "";
  let stderrTail = "";
  let partial = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) options.log?.(line);
  });
  const exitCode = await new Promise<number>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => done(code ?? (signal === "SIGINT" ? 130 : 1)));
  }).finally(() => {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  });
  if (partial) options.log?.(partial);

  const after = await snapshotState(dir);
  // The CLI prints its report for exit codes 0 and 3 (and 130 once state is written).
  const report = stdout.trim() === "" ? undefined : parseSendReport(stdout);
  return {
    exitCode,
    report,
    stderrTail: stderrTail.trim(),
    before,
    after,
    stateChanged: stateChanged(before, after),
  };
}
