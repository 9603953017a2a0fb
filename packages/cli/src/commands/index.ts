import type { CommandModule } from "./command.ts";
import { discoverCommand } from "./discover.ts";
import { explainCommand } from "./explain.ts";
import { importCommand } from "./import.ts";
import { moderateCommand } from "./moderate.ts";
import { pingCommand } from "./ping.ts";
import { sendCommand } from "./send.ts";
import { serveCommand } from "./serve.ts";
import { statusCommand } from "./status.ts";

/** Every subcommand, in help order. Add a command: one file in commands/, one line here. */
export const COMMANDS: readonly CommandModule[] = [
  sendCommand,
  statusCommand,
  explainCommand,
  discoverCommand,
  pingCommand,
  serveCommand,
  moderateCommand,
  importCommand,
];

export type { CommandModule } from "./command.ts";
