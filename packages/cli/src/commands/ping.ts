import { createHttpClient } from "@static-pingback/core/net";
import {
  classifyDiscovery,
  discoverEndpoint,
  type Protocol,
  sendPing,
  sendWebmention,
} from "@static-pingback/core/send";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { urlArgument } from "../options.ts";
import { styleFor } from "../output/style.ts";
import type { CommandModule } from "./command.ts";
import { describeDiscovery } from "./discover.ts";
import { addNetworkFlags, type NetworkFlags } from "./network-flags.ts";

interface PingFlags extends NetworkFlags {
  endpoint?: string;
  webmention?: boolean;
  json?: boolean;
}

export const pingCommand: CommandModule = {
  name: "ping",
  register(program: Command, context: CliContext) {
    addNetworkFlags(
      program
        .command("ping")
        .description(
          "send one Webmention or pingback now (Webmention when the target advertises both) and print the answer (no state is read or written)",
        )
        .argument("<source>", "your page that links to the target", urlArgument)
        .argument("<target>", "the page linked to", urlArgument),
    )
      .option("--endpoint <url>", "skip discovery and ping this XML-RPC server", urlArgument)
      .option("--webmention", "with --endpoint: it is a Webmention endpoint, not XML-RPC")
      .option("--json", "print the result as JSON")
      .action(async (source: string, target: string, flags: PingFlags) => {
        const style = styleFor(context);
        const client = createHttpClient({
          allowPrivateNetworks: Boolean(flags.allowPrivate),
          timeoutMs: flags.timeout,
        });
        try {
          let endpoint = flags.endpoint;
          let protocol: Protocol | null = flags.webmention ? "webmention" : "pingback";
          let discovery: Awaited<ReturnType<typeof discoverEndpoint>> | undefined;
          if (!endpoint) {
            discovery = await discoverEndpoint(client, target);
            endpoint = discovery.endpoint;
            protocol = discovery.protocol;
            if (!flags.json) context.stdout.write(`${describeDiscovery(discovery, context)}\n\n`);
          }
          const send = protocol === "webmention" ? sendWebmention : sendPing;
          const result = endpoint
            ? await send(client, endpoint, source, target)
            : classifyDiscovery(discovery as NonNullable<typeof discovery>);
          if (flags.json) {
            const { response: _response, ...shown } = result as typeof result & {
              response?: unknown;
            };
            context.stdout.write(
              `${JSON.stringify({ source, target, protocol, endpoint: endpoint ?? null, ...shown }, null, 2)}\n`,
            );
          } else {
            const ok = result.status === "sent" || result.status === "already-registered";
            const status = ok ? style.green(result.status) : style.yellow(result.status);
            const label = (protocol ?? "pingback").padEnd(14);
            context.stdout.write(`${label}${source} -> ${target}\n`);
            if (endpoint) context.stdout.write(`endpoint      ${endpoint}\n`);
            context.stdout.write(`result        ${status}\n`);
            if (result.faultCode !== undefined)
              context.stdout.write(`fault code    ${result.faultCode}\n`);
            if (result.httpStatus !== undefined)
              context.stdout.write(`HTTP status   ${result.httpStatus}\n`);
            if (result.statusUrl !== undefined)
              context.stdout.write(`status URL    ${result.statusUrl}\n`);
            // Without an endpoint nothing answered: the reason is in the discovery above.
            if (endpoint) context.stdout.write(`answer        ${result.message}\n`);
          }
          context.exitCode = EXIT.ok;
        } finally {
          await client.close();
        }
      });
  },
};
