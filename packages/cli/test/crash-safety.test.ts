import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readState } from "@static-pingback/core/send";
import {
  type PeerSite,
  startPeerSite,
  totalReceived,
  writeSiteFiles,
} from "../../core/test/send/peers.ts";
import { startCli } from "./run-cli.ts";

const HOSTS = 10;
const SOURCES = 20;
const KILLS = 5;
const CONCURRENCY = 8;

interface State {
  pairs: { source: string; target: string; status: string; protocol?: string }[];
}

/** Even hosts take Webmention, odd ones Pingback: a mixed-protocol run. */
const protocolOf = (host: number) => (host % 2 === 0 ? "webmention" : "pingback");

describe("crash safety: kill -9 during a 200-pair mixed-protocol run, then rerun", () => {
  let sites: PeerSite[];
  before(async () => {
    sites = await Promise.all(
      Array.from({ length: HOSTS }, (_, h) => startPeerSite(5, { protocol: protocolOf(h) })),
    );
  });
  after(async () => {
    await Promise.all(sites.map((site) => site.close()));
  });

  const received = (source: string, target: string): number => {
    for (const site of sites) {
      const count = site.received.get(`${source} ${target}`);
      if (count !== undefined) return count;
    }
    return 0;
  };

  it("loses no pair and never re-sends a pair recorded as sent", async () => {
    const links: Record<string, string[]> = {};
    for (let s = 0; s < SOURCES; s++) {
      links[`https://me.example/post-${s}/`] = sites.map((site, h) => site.page(`/t${h}`));
    }
    const dir = await writeSiteFiles(links, { previous: "2026-01-01T00:00:00.000Z" });
    const args = [
      "send",
      "--dir",
      dir,
      "--allow-private",
      "--host-interval",
      "0",
      "--concurrency",
      String(CONCURRENCY),
      "--quiet",
    ];
    // Pairs the state file called `sent` after a kill, with what the peers had counted then.
    const sentAtKill = new Map<string, number>();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };

    for (let kill = 0; kill < KILLS; kill++) {
      const before = totalReceived(sites);
      const run = startCli(args);
      const waitFor = 1 + Math.floor(random() * 30);
      while (totalReceived(sites) < before + waitFor && run.child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      run.child.kill("SIGKILL");
      await run.done;
      // Whatever instant the kill hit, state.json is whole and valid, and with the
      // journal it says what was recorded.
      const snapshot = await readFile(join(dir, "state.json"), "utf8").catch(() => undefined);
      if (snapshot !== undefined) JSON.parse(snapshot);
      const state = ((await readState(dir)) ?? { pairs: [] }) as State;
      for (const pair of state.pairs) {
        if (pair.status !== "sent") continue;
        const key = `${pair.source} ${pair.target}`;
        if (!sentAtKill.has(key)) sentAtKill.set(key, received(pair.source, pair.target));
      }
    }

    const final = await startCli(args).done;
    assert.equal(final.code, 0, final.stderr);
    const state = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as State;
    assert.equal(state.pairs.length, HOSTS * SOURCES);
    assert.ok(state.pairs.every((pair) => pair.status === "sent"));
    for (const pair of state.pairs) {
      const host = sites.findIndex((site) => pair.target.startsWith(`${site.url}/`));
      assert.equal(pair.protocol, protocolOf(host), `${pair.target} in the wrong protocol`);
    }
    for (const pair of state.pairs) assert.ok(received(pair.source, pair.target) >= 1);
    for (const [key, count] of sentAtKill) {
      const [source, target] = key.split(" ") as [string, string];
      assert.equal(
        received(source, target),
        count,
        `${key} was sent again after state recorded it`,
      );
    }
    // Only pings in flight at a kill may be repeated.
    const duplicates = totalReceived(sites) - HOSTS * SOURCES;
    assert.ok(duplicates <= KILLS * CONCURRENCY, `${duplicates} duplicates`);
    assert.ok(sentAtKill.size > 0, "at least one kill landed after some pairs were recorded");
  });
});
