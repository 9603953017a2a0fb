import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.ts";
import { type CliContext, defaultContext } from "./context.ts";
import { EXIT, exitCodesHelp } from "./exit-codes.ts";

/** The `static-pingback` program with every command registered. */
export function createProgram(context: CliContext): Command {
  const program = new Command("static-pingback")
    .description(
      "Pingback for static sites: send pingbacks after deploy, inspect state, discover endpoints.",
    )
    .version(context.version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", exitCodesHelp())
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .exitOverride();
  for (const command of COMMANDS) command.register(program, context);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
    command.addHelpText("after", exitCodesHelp(command.name()));
  }
  return program;
}

/** Runs the CLI on `argv` (process.argv form) and returns the exit code. */
export async function main(
  argv: readonly string[],
  context: CliContext = defaultContext(),
): Promise<number> {
  const program = createProgram(context);
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.stderr.write(`static-pingback: unexpected error: ${message}\n`);
    return EXIT.error;
  }
  return context.exitCode;
}
