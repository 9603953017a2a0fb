/**
 * Progress under repeated interruption: each run is killed (SIGKILL) as soon as the
 * peers see its KILL_AT-th request, yet every run delivers pingbacks, because a pair
 * is pinged as soon as its own target is discovered and a discovered endpoint is kept
 * at once for the next run.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { readState } from "@static-pingback/core/send";
import { encodeMethodResponse, parseMethodCall } from "@static-pingback/core/xmlrpc";
import { type Loopback, startLoopback } from "../../core/test/net/loopback.ts";
import { writeSiteFiles } from "../../core/test/send/peers.ts";
import { startCli } from "./run-cli.ts";

const HOSTS = 2;
const TARGETS_PER_HOST = 2;
const SOURCES = 2;
const PAIRS = HOSTS * TARGETS_PER_HOST * SOURCES;
/** A run is killed when the peers receive its 4th request (which is left unanswered). */
const KILL_AT = 4;

describe("progress under repeated interruption", () => {
  const hosts: Loopback[] = [];
  /** GETs per target URL, and pings per "source target", over all runs. */
  const fetches = new Map<string, number>();
  const pings = new Map<string, number>();
  let run: { child: ChildProcess; requests: number } | undefined;

  before(async () => {
    for (let h = 0; h < HOSTS; h++) {
      const host: Loopback = await startLoopback((req, res, body) => {
        const current = run;
        if (current) current.requests += 1;
        if (req.url === "/xmlrpc") {
          const call = parseMethodCall(body);
          const key = `${call.params[0]} ${call.params[1]}`;
          pings.set(key, (pings.get(key) ?? 0) + 1);
        } else {
          const url = `${host.url}${req.url}`;
          fetches.set(url, (fetches.get(url) ?? 0) + 1);
        }
        if (current && current.requests === KILL_AT) {
          current.child.kill("SIGKILL");
          return; // never answered: the run dies with this request in flight
        }
        if (req.url === "/xmlrpc") {
          res.writeHead(200, { "content-type": "text/xml" }).end(encodeMethodResponse("Thanks!"));
        } else {
          res.writeHead(200, { "content-type": "text/html", "x-pingback": `${host.url}/xmlrpc` });
          res.end("<html><head><title>post</title></head><body>post</body></html>");
        }
      });
      hosts.push(host);
    }
  });
  after(async () => {
    for (const host of hosts) host.server.closeAllConnections();
    await Promise.all(hosts.map((host) => host.close()));
  });

  it("every killed run delivers; only a discovery or ping hit by a kill is repeated", async () => {
    const links: Record<string, string[]> = {};
    for (let s = 0; s < SOURCES; s++) {
      links[`https://me.example/post-${s}/`] = hosts.flatMap((host) =>
        Array.from({ length: TARGETS_PER_HOST }, (_, t) => `${host.url}/t${t}`),
      );
    }
    const dir = await writeSiteFiles(links, { previous: "2026-01-01T00:00:00.000Z" });
    const args = ["send", "--dir", dir, "--allow-private", "--host-interval", "0"];
    const sentAfter: number[] = [];
    let kills = 0;
    for (let attempt = 0; attempt < 3 * PAIRS; attempt++) {
      const started = startCli([...args, "--concurrency", "1", "--retries", "0", "--quiet"]);
      run = { child: started.child, requests: 0 };
      const result = await started.done;
      run = undefined;
      const state = await readState(dir);
      const sent = state?.pairs.filter((pair) => pair.status === "sent").length ?? 0;
      sentAfter.push(sent);
      if (result.signal !== "SIGKILL") {
        assert.equal(result.code, 0, result.stderr);
        break;
      }
      kills += 1;
      const before = sentAfter.at(-2) ?? 0;
      assert.ok(sent > before, `run ${kills} was killed without delivering: ${sentAfter}`);
    }
    assert.equal(sentAfter.at(-1), PAIRS, `sent after each run: ${sentAfter}`);
    assert.ok(kills >= 2, `only ${kills} runs were interrupted`);
    // A target is fetched again only when a kill hit its discovery.
    const extraFetches = [...fetches.values()].reduce((sum, count) => sum + count - 1, 0);
    assert.ok(extraFetches <= kills, `${extraFetches} repeated discoveries for ${kills} kills`);
    // Only a ping in flight at a kill is sent twice.
    const extraPings = [...pings.values()].reduce((sum, count) => sum + count - 1, 0);
    assert.ok(extraPings <= kills, `${extraPings} repeated pings for ${kills} kills`);
  });
});
