import { PingbackFileError } from "@static-pingback/core";
import { NothingToSendError, StateLockedError } from "@static-pingback/core/send";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { styleFor } from "../output/style.ts";

/** Prints a known input/state error as one clear line (exit 1); rethrows bugs. */
export function reportError(error: unknown, context: CliContext): number {
  const style = styleFor(context, "stderr");
  const known =
    error instanceof PingbackFileError ||
    error instanceof StateLockedError ||
    error instanceof NothingToSendError ||
    error instanceof RangeError;
  if (!known) throw error;
  const prefix = error instanceof PingbackFileError ? "invalid file: " : "";
  context.stderr.write(`${style.red("error:")} ${prefix}${(error as Error).message}\n`);
  if (error instanceof PingbackFileError) {
    context.stderr.write("The file was left untouched. Fix or remove it, then run again.\n");
  }
  return EXIT.error;
}

/** A problem that did not stop the command (e.g. a skipped journal line), on stderr. */
export function warn(message: string, context: CliContext): void {
  const style = styleFor(context, "stderr");
  context.stderr.write(`${style.yellow("warning:")} ${message}\n`);
}
