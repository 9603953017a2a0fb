import { hostPattern, type SqlitePingbackStore } from "@static-pingback/receiver";
import type { CliContext } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { formatTable } from "../output/table.ts";

export const HOST_ACTIONS = ["hosts", "trust", "block", "forget"] as const;
export type HostAction = (typeof HOST_ACTIONS)[number];

/**
 * `moderate hosts` lists the host rules; `trust`, `block` and `forget` set them for the
 * hosts given. A running receiver reads the change within a minute.
 */
export function runHostAction(
  action: HostAction,
  args: readonly string[],
  store: SqlitePingbackStore,
  context: CliContext,
  json: boolean,
): number {
  if (action === "hosts") {
    const rules = store.hostRules();
    if (json) context.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
    else if (rules.length === 0) context.stdout.write("No host rules.\n");
    else {
      const rows = rules.map((rule) => [rule.host, rule.rule, rule.origin, rule.createdAt]);
      context.stdout.write(`${formatTable(["host", "rule", "set by", "since"], rows)}\n`);
    }
    return EXIT.ok;
  }
  const hosts = args.map((arg) => [arg, hostPattern(arg)] as const);
  const bad = hosts.filter(([, host]) => host === undefined).map(([arg]) => arg);
  if (hosts.length === 0 || bad.length > 0) {
    context.stderr.write(
      `error: ${action} needs host names like example.com or *.example.com${bad.length > 0 ? `, not ${bad.map((each) => JSON.stringify(each)).join(", ")}` : ""}\n`,
    );
    return EXIT.usage;
  }
  for (const [, host] of hosts) {
    store.setHostRule(
      host as string,
      action === "forget" ? null : { rule: action, origin: "owner" },
    );
  }
  const done = { trust: "trusted", block: "blocked", forget: "forgotten" }[action];
  context.stdout.write(`${hosts.length} host(s) ${done}\n`);
  return EXIT.ok;
}

/**
 * `moderate erase --author URL | --host HOST`: the answer to a deletion request. Every
 * stored mention of that person or site goes, with all its fields, and the export (whose
 * cache follows the store's last change) forgets them at once.
 */
export function runErase(
  flags: { author?: string; host?: string },
  store: SqlitePingbackStore,
  context: CliContext,
): number {
  if ((flags.author === undefined) === (flags.host === undefined)) {
    context.stderr.write("error: erase needs exactly one of --author URL or --host HOST\n");
    return EXIT.usage;
  }
  let count: number;
  if (flags.host !== undefined) {
    const host = hostPattern(flags.host);
    if (host === undefined || host.startsWith("*.")) {
      context.stderr.write(
        `error: --host must be a host name, not ${JSON.stringify(flags.host)}\n`,
      );
      return EXIT.usage;
    }
    count = store.erase({ host });
  } else {
    const url = URL.parse(flags.author ?? "");
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      context.stderr.write("error: --author must be the author's http(s) URL (their h-card url)\n");
      return EXIT.usage;
    }
    count = store.erase({ authorUrl: flags.author as string });
  }
  context.stdout.write(`${count} mention(s) erased\n`);
  return EXIT.ok;
}
