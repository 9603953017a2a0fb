import {
  fetchWebmentionIo,
  ImportError,
  type ImportResult,
  importEntries,
  readJf2File,
  SqlitePingbackStore,
  WEBMENTION_IO_API,
} from "@static-pingback/receiver";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { DEFAULT_DATABASE } from "../options.ts";
import type { CommandModule } from "./command.ts";

interface ImportFlags {
  db: string;
  token?: string;
  file?: string;
  api: string;
}

async function runImport(service: string, flags: ImportFlags, context: CliContext): Promise<void> {
  if (service !== "webmention.io") {
    context.stderr.write(
      `error: can import from webmention.io only, not ${JSON.stringify(service)}\n`,
    );
    context.exitCode = EXIT.usage;
    return;
  }
  const token = flags.token ?? context.env.WEBMENTION_IO_TOKEN;
  if ((token === undefined) === (flags.file === undefined)) {
    context.stderr.write(
      "error: give exactly one of --token (or WEBMENTION_IO_TOKEN) and --file\n",
    );
    context.exitCode = EXIT.usage;
    return;
  }
  const store = new SqlitePingbackStore(flags.db);
  const total: ImportResult = { added: 0, known: 0, skipped: 0 };
  const add = (result: ImportResult) => {
    total.added += result.added;
    total.known += result.known;
    total.skipped += result.skipped;
  };
  try {
    if (flags.file !== undefined) add(await importEntries(store, await readJf2File(flags.file)));
    else {
      for await (const page of fetchWebmentionIo(token as string, flags.api)) {
        add(await importEntries(store, page));
      }
    }
    context.stdout.write(
      `${total.added} mention(s) imported as approved, ${total.known} already there, ${total.skipped} not mentions\n`,
    );
    context.exitCode = EXIT.ok;
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    context.stderr.write(`error: ${error.message}\n`);
    if (total.added > 0) {
      context.stderr.write(
        `${total.added} mention(s) were imported before that; run it again to go on\n`,
      );
    }
    context.exitCode = EXIT.error;
  } finally {
    store.close();
  }
}

export const importCommand: CommandModule = {
  name: "import",
  register(program: Command, context: CliContext) {
    program
      .command("import")
      .argument("<service>", "where the mentions are: webmention.io")
      .description(
        "bring mentions over from webmention.io into the receiver's database, as approved (idempotent)",
      )
      .option("--db <path>", "SQLite database file of the receiver", DEFAULT_DATABASE)
      .option("--token <token>", "webmention.io API token (or WEBMENTION_IO_TOKEN)")
      .option("--file <path>", "a JF2 file instead: webmention.io's export, or a /pingbacks.jf2")
      .option("--api <url>", "the API to read from", WEBMENTION_IO_API)
      .action(async (service: string, flags: ImportFlags) => {
        await runImport(service, flags, context);
      });
  },
};
