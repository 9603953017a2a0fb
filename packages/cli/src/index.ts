export type { CommandModule } from "./commands/command.ts";
export { COMMANDS } from "./commands/index.ts";
export { type CliContext, defaultContext, isInteractive } from "./context.ts";
export { EXIT } from "./exit-codes.ts";
export { durationOption, integerOption, urlArgument } from "./options.ts";
export { styleFor } from "./output/style.ts";
export { formatTable } from "./output/table.ts";
export { createProgram, main } from "./program.ts";
