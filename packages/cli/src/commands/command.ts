import type { Command } from "commander";
import type { CliContext } from "../context.ts";

/** One `static-pingback` subcommand, in its own file, registered in commands/index.ts. */
export interface CommandModule {
  name: string;
  register(program: Command, context: CliContext): void;
}
