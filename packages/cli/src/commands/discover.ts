import { createHttpClient } from "@static-pingback/core/net";
import { type DiscoveryResult, discoverEndpoint, FOUND_IN_WORDS } from "@static-pingback/core/send";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { urlArgument } from "../options.ts";
import { styleFor } from "../output/style.ts";
import type { CommandModule } from "./command.ts";
import { addNetworkFlags, type NetworkFlags } from "./network-flags.ts";

interface DiscoverFlags extends NetworkFlags {
  json?: boolean;
}

export function describeDiscovery(found: DiscoveryResult, context: CliContext): string {
  const style = styleFor(context);
  const lines = [`target        ${found.target}`];
  if (found.error) {
    // The reason is the failure itself: said once, on the fetch line.
    lines.push(`fetch         ${style.red("failed")}: ${found.reason}`);
    lines.push(`protocol      ${style.yellow("none")}`);
    lines.push(`endpoint      ${style.yellow("none")}`);
    return lines.join("\n");
  }
  lines.push(`status        HTTP ${found.status}`);
  if (found.redirects && found.redirects.length > 0) {
    lines.push(`redirects     ${found.redirects.join(" -> ")} -> ${found.finalUrl}`);
  }
  lines.push(`content type  ${found.contentType || "(none)"}`);
  lines.push(
    `Webmention    ${
      found.protocol === "webmention" && found.foundIn
        ? `in ${FOUND_IN_WORDS[found.foundIn]}`
        : style.dim(`(${found.webmention ?? "not looked for"})`)
    }`,
  );
  lines.push(`X-Pingback    ${found.header ?? style.dim("(no header)")}`);
  const searched =
    found.bytesSearched === 0
      ? style.dim("(body not searched)")
      : (found.link ?? style.dim(`(no match in ${found.bytesSearched} bytes)`));
  const linkLine =
    found.protocol === "webmention"
      ? style.dim("(not needed: Webmention wins)")
      : found.header !== undefined
        ? style.dim("(not needed: header wins)")
        : searched;
  lines.push(`link element  ${linkLine}`);
  lines.push(`protocol      ${found.protocol ?? style.yellow("none")}`);
  const endpoint = found.endpoint ? style.green(found.endpoint) : style.yellow("none");
  const where = found.foundIn ? ` (found in ${FOUND_IN_WORDS[found.foundIn]})` : "";
  lines.push(`endpoint      ${endpoint}${where}`);
  lines.push(`because       ${found.reason}`);
  return lines.join("\n");
}

export const discoverCommand: CommandModule = {
  name: "discover",
  register(program: Command, context: CliContext) {
    addNetworkFlags(
      program
        .command("discover")
        .description(
          "show which endpoint a URL advertises (Webmention first, else Pingback), where it was found, and why",
        )
        .argument("<url>", "the page to examine", urlArgument),
    )
      .option("--json", "print the result as JSON")
      .action(async (url: string, flags: DiscoverFlags) => {
        const client = createHttpClient({
          allowPrivateNetworks: Boolean(flags.allowPrivate),
          timeoutMs: flags.timeout,
        });
        try {
          const found = await discoverEndpoint(client, url);
          if (flags.json) {
            const { error, ...rest } = found;
            // The reason is the error's message, cleaned of what a stranger put in it.
            const shown = error
              ? { ...rest, error: { code: error.code, message: rest.reason } }
              : rest;
            context.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
          } else {
            context.stdout.write(`${describeDiscovery(found, context)}\n`);
          }
          // Found or not, the question was answered; only an unreachable URL is an error.
          context.exitCode = found.error ? EXIT.error : EXIT.ok;
        } finally {
          await client.close();
        }
      });
  },
};
