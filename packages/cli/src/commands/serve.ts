import {
  closeOnSignals,
  jsonLineLogger,
  ManifestLoadError,
  ReceiverOptionsError,
  serve,
} from "@static-pingback/receiver";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { DEFAULT_DATABASE } from "../options.ts";
import { readSecret, SecretFileError } from "../secret-file.ts";
import type { CommandModule } from "./command.ts";

interface ServeFlags {
  site: string;
  manifest: string;
  db: string;
  port: string;
  host: string;
  path: string;
  webmentionPath: string;
  goneAfter: string;
  allowPrivate?: boolean;
  trusted?: string[];
  blocked?: string[];
  allowPort?: string[];
  rebuildHook?: string;
  clientIpHeader?: string;
  durability: string;
  adminTokenFile?: string;
  adminOrigin?: string;
  feedKeyFile?: string;
  webhook?: string;
  webhookSecretFile?: string;
  blocklist?: string[];
  learnTrustAfter?: string;
  retentionDays?: string;
}

// No default value: commander would print "(default: [])" for a repeatable option.
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function port(value: string, flag = "--port"): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new ReceiverOptionsError(`${flag} must be 0-65535, got ${JSON.stringify(value)}`);
  }
  return n;
}

function hours(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new ReceiverOptionsError(
      `${flag} must be a number of hours >= 0, got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(n * 3600_000);
}

function count(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new ReceiverOptionsError(`${flag} must be a whole number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function durability(value: string): "full" | "normal" {
  if (value !== "full" && value !== "normal") {
    throw new ReceiverOptionsError(
      `--durability must be full or normal, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * The feed key, read again on every feed request: emptying or replacing the file
 * revokes the old key at once. An unreadable file means no feed (404), never a crash.
 */
async function feedKey(file: string | undefined, context: CliContext): Promise<string | undefined> {
  try {
    return (await readSecret(file, context.env, "STATIC_PINGBACK_FEED_KEY", "feed key"))?.value;
  } catch {
    return undefined;
  }
}

/** Runs until SIGINT/SIGTERM; resolves after a graceful shutdown. */
async function runServe(flags: ServeFlags, context: CliContext): Promise<void> {
  const token = await readSecret(
    flags.adminTokenFile,
    context.env,
    "STATIC_PINGBACK_ADMIN_TOKEN",
    "admin token",
  );
  if (token?.warning) context.stderr.write(`warning: ${token.warning}\n`);
  const webhookSecret = flags.webhook
    ? await readSecret(
        flags.webhookSecretFile,
        context.env,
        "STATIC_PINGBACK_WEBHOOK_SECRET",
        "webhook secret",
      )
    : undefined;
  if (flags.webhook && !webhookSecret) {
    throw new SecretFileError(
      "--webhook needs a secret to sign with: --webhook-secret-file or STATIC_PINGBACK_WEBHOOK_SECRET",
    );
  }
  if (webhookSecret?.warning) context.stderr.write(`warning: ${webhookSecret.warning}\n`);
  const handle = await serve({
    site: flags.site,
    manifest: flags.manifest,
    db: flags.db,
    port: port(flags.port),
    host: flags.host,
    path: flags.path,
    webmentionPath: flags.webmentionPath,
    goneAfterMs: hours(flags.goneAfter, "--gone-after"),
    allowPrivateNetworks: flags.allowPrivate === true,
    trusted: flags.trusted ?? [],
    blocked: flags.blocked ?? [],
    ...(flags.allowPort && flags.allowPort.length > 0
      ? { allowedPorts: flags.allowPort.map((p) => port(p, "--allow-port")) }
      : {}),
    rebuildHook: flags.rebuildHook ? { url: flags.rebuildHook } : undefined,
    clientAddressHeader: flags.clientIpHeader,
    durability: durability(flags.durability),
    log: jsonLineLogger(context.stderr),
    blocklists: flags.blocklist ?? [],
    learnTrustAfter: count(flags.learnTrustAfter, "--learn-trust-after"),
    declinedRetentionMs: count(flags.retentionDays, "--retention-days") * 86_400_000,
    ...(flags.webhook && webhookSecret
      ? { webhook: { url: flags.webhook, secret: webhookSecret.value } }
      : {}),
    ...(token
      ? {
          admin: {
            token: token.value,
            feedKey: () => feedKey(flags.feedKeyFile, context),
            ...(flags.adminOrigin ? { origin: flags.adminOrigin } : {}),
          },
        }
      : {}),
  });
  context.stdout.write(`pingback receiver listening on ${handle.origin}${flags.path}\n`);
  context.stdout.write(
    `webmention receiver listening on ${handle.origin}${flags.webmentionPath}\n`,
  );
  if (token) context.stdout.write(`moderation page on ${handle.origin}/admin\n`);
  if (flags.allowPrivate) {
    context.stderr.write(
      "warning: --allow-private: sources on private addresses will be fetched\n",
    );
  }
  await new Promise<void>((resolve) => closeOnSignals(handle, resolve));
  context.stdout.write("pingback receiver stopped\n");
}

export const serveCommand: CommandModule = {
  name: "serve",
  register(program: Command, context: CliContext) {
    program
      .command("serve")
      .description(
        "run the self-hosted receiver (Pingback XML-RPC and Webmention endpoints, JF2 export, health check)",
      )
      .requiredOption("--site <url>", "the site whose pages receive pingbacks")
      .requiredOption("--manifest <path|url>", "the build manifest: a file or its published URL")
      .option("--db <path>", "SQLite database file", DEFAULT_DATABASE)
      .option("--port <n>", "port to listen on", "8080")
      .option("--host <address>", "address to listen on", "127.0.0.1")
      .option("--path <path>", "path of the XML-RPC endpoint", "/xmlrpc")
      .option("--webmention-path <path>", "path of the Webmention endpoint", "/webmention")
      .option(
        "--gone-after <hours>",
        "a source answering 404 leaves the export once the 404 persisted this long",
        "24",
      )
      .option(
        "--allow-private",
        "verify sources on private/loopback addresses (tests, intranets only)",
      )
      .option(
        "--trusted <host>",
        "auto-approve pingbacks from this host (repeatable; *.example.com)",
        collect,
      )
      .option(
        "--blocked <host>",
        "store mentions from this host as spam, unfetched (repeatable; seeds the host rules)",
        collect,
      )
      .option(
        "--allow-port <n>",
        "fetch sources on this port (repeatable; default 80, 443, 8080; any with --allow-private)",
        collect,
      )
      .option("--rebuild-hook <url>", "POST this URL (debounced) when a pingback is approved")
      .option(
        "--durability <mode>",
        "full: every stored ping is synced to disk before the answer (survives power loss); normal: survives kill -9, not power loss, faster",
        "full",
      )
      .option(
        "--client-ip-header <name>",
        "behind a reverse proxy: header with the client IP (rightmost value), e.g. x-forwarded-for",
      )
      .option(
        "--admin-token-file <path>",
        "turn on the moderation page at /admin; sign in with the token in this file (or STATIC_PINGBACK_ADMIN_TOKEN)",
      )
      .option(
        "--feed-key-file <path>",
        "the key of the private Atom feed of pending mentions at /admin/feed/KEY, re-read on each request (or STATIC_PINGBACK_FEED_KEY)",
      )
      .option(
        "--blocklist <file|url>",
        "a shared blocklist (one host or *.pattern a line), read at start and hourly (repeatable)",
        collect,
      )
      .option(
        "--learn-trust-after <n>",
        "trust a host once you approved this many of its mentions (off unless given)",
      )
      .option(
        "--retention-days <n>",
        "erase rejected, spam and deleted mentions this many days after their last change (kept unless given)",
      )
      .option(
        "--webhook <url>",
        "POST new pending mentions here as signed JSON, batched every 30 s",
      )
      .option(
        "--webhook-secret-file <path>",
        "the HMAC-SHA256 key that signs each webhook body (or STATIC_PINGBACK_WEBHOOK_SECRET)",
      )
      .option(
        "--admin-origin <url>",
        "the page's public origin behind a proxy that rewrites Host (for the same-origin check)",
      )
      .action(async (flags: ServeFlags) => {
        try {
          await runServe(flags, context);
          context.exitCode = EXIT.ok;
        } catch (error) {
          if (
            error instanceof ReceiverOptionsError ||
            error instanceof ManifestLoadError ||
            error instanceof SecretFileError
          ) {
            context.stderr.write(`error: ${error.message}\n`);
            context.exitCode = EXIT.error;
            return;
          }
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "EADDRINUSE" || code === "EACCES") {
            context.stderr.write(`error: cannot listen on ${flags.host}:${flags.port} (${code})\n`);
            context.exitCode = EXIT.error;
            return;
          }
          throw error;
        }
      });
  },
};
