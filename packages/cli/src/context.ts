import { readFileSync } from "node:fs";

/** What a command needs from the outside world; tests and the receiver reuse it. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Exit code set by the command that ran. */
  exitCode: number;
  version: string;
}

function cliVersion(): string {
  try {
    const url = new URL("../package.json", import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export function defaultContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    exitCode: 0,
    version: cliVersion(),
  };
}

/** CI set, or output not a terminal: plain lines, no progress bar. */
export function isInteractive(context: CliContext): boolean {
  const ci = context.env.CI;
  return (
    Boolean(context.stderr.isTTY) && (ci === undefined || ci === "" || ci === "false" || ci === "0")
  );
}
