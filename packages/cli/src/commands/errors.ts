import { StaticPingbackError } from "@static-pingback/core";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { styleFor } from "../output/style.ts";

/**
 * The exit code for each stable error code a command reports as one line; an error
 * without a code here is a bug and is rethrown (with its stack).
 */
export const EXIT_BY_CODE: Readonly<Record<string, number>> = {
  "invalid-file": EXIT.error,
  "state-locked": EXIT.error,
  "nothing-to-send": EXIT.error,
  "invalid-send-option": EXIT.error,
};

/** Prints a known input/state error as one clear line and answers its exit code; rethrows bugs. */
export function reportError(error: unknown, context: CliContext): number {
  const code = error instanceof StaticPingbackError ? error.code : undefined;
  const exit = code === undefined ? undefined : EXIT_BY_CODE[code];
  if (exit === undefined) throw error;
  const style = styleFor(context, "stderr");
  const invalidFile = code === "invalid-file";
  const prefix = invalidFile ? "invalid file: " : "";
  context.stderr.write(`${style.red("error:")} ${prefix}${(error as Error).message}\n`);
  if (invalidFile) {
    context.stderr.write("The file was left untouched. Fix or remove it, then run again.\n");
  }
  return exit;
}

/** A problem that did not stop the command (e.g. a skipped journal line), on stderr. */
export function warn(message: string, context: CliContext): void {
  const style = styleFor(context, "stderr");
  context.stderr.write(`${style.yellow("warning:")} ${message}\n`);
}
