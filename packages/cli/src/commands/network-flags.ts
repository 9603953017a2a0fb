import { type Command, Option } from "commander";
import { durationOption } from "../options.ts";

export interface NetworkFlags {
  timeout: number;
  allowPrivate?: boolean;
}

/** --timeout and --allow-private, shared by the commands that fetch. */
export function addNetworkFlags(command: Command): Command {
  return command
    .addOption(
      new Option("--timeout <duration>", "deadline of each request")
        .argParser(durationOption)
        .default(10_000, "10s"),
    )
    .option("--allow-private", "allow loopback/private/link-local addresses (tests, intranets)");
}
