/**
 * Endpoints discovered by one run are kept in state.json, so the next run (after an
 * interruption, or for a new link to the same target) pings without fetching the
 * target again; an old or failing endpoint is discovered anew.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readState, type SendOptions, sendPingbacks } from "../../src/send/index.ts";
import { startLoopback } from "../net/loopback.ts";
import { type PeerSite, startPeerSite, writeSiteFiles } from "./peers.ts";

const fast: SendOptions = {
  allowPrivateNetworks: ["127.0.0.1/32"],
  hostIntervalMs: 0,
  retryDelayMs: 5,
  retriesPerRun: 0,
  timeoutMs: 3_000,
};
const HOUR = 3600_000;

describe("endpoints kept across runs", () => {
  let site: PeerSite;
  before(async () => {
    site = await startPeerSite();
  });
  after(() => site.close());

  const fetchesOf = (path: string) =>
    site.requests.filter((request) => request.method === "GET" && request.url === path).length;

  /** Run 1 sends one/ -> target; run 2 (at `later` ms) sends two/ -> the same target. */
  async function twoRuns(path: string, later: number, options: SendOptions = {}) {
    const target = site.page(path);
    const start = Date.parse("2026-06-01T00:00:00.000Z");
    const dir = await writeSiteFiles({ "https://me.example/one/": [target] }, { previous: null });
    await sendPingbacks({ ...fast, ...options, dir, all: true, now: () => new Date(start) });
    const state = await readState(dir);
    assert.deepEqual(state?.endpoints, [
      {
        target,
        endpoint: site.page("/xmlrpc"),
        protocol: "pingback",
        discoveredAt: "2026-06-01T00:00:00.000Z",
      },
    ]);
    const links = { "https://me.example/one/": [target], "https://me.example/two/": [target] };
    const added = [{ source: "https://me.example/two/", target }];
    await writeSiteFiles(links, { dir, previous: "2026-06-01T00:00:00.000Z", added });
    const report = await sendPingbacks({
      ...fast,
      ...options,
      dir,
      now: () => new Date(start + later),
    });
    return { dir, report };
  }

  it("a later run pings a known target without fetching it again", async () => {
    const { report } = await twoRuns("/kept", HOUR);
    assert.equal(report.counts.sent, 1);
    assert.equal(fetchesOf("/kept"), 1);
    assert.equal(report.settled[0]?.discovery?.via, "state");
  });

  it("an endpoint older than endpointMaxAgeMs is discovered again", async () => {
    const { report } = await twoRuns("/old", 25 * HOUR);
    assert.equal(report.counts.sent, 1);
    assert.equal(fetchesOf("/old"), 2);
    const short = await twoRuns("/short", HOUR, { endpointMaxAgeMs: HOUR / 2 });
    assert.equal(short.report.counts.sent, 1);
    assert.equal(fetchesOf("/short"), 2);
  });

  it("a pair whose last attempt failed discovers its target again", async () => {
    site.answer = (source) => (source.endsWith("/one/") ? { fault: 0 } : { ok: "Thanks!" });
    try {
      const target = site.page("/failed");
      const dir = await writeSiteFiles({ "https://me.example/one/": [target] }, { previous: null });
      await sendPingbacks({ ...fast, dir, all: true });
      assert.equal((await readState(dir))?.pairs[0]?.status, "failed");
      site.answer = () => ({ ok: "Thanks!" });
      const report = await sendPingbacks({ ...fast, dir, all: true });
      assert.equal(report.counts.sent, 1);
      assert.equal(fetchesOf("/failed"), 2);
    } finally {
      site.answer = () => ({ ok: "Thanks!" });
    }
  });

  it("a kept endpoint that is gone is forgotten and the current one is used", async () => {
    const old = await startPeerSite();
    const current = await startPeerSite();
    let endpoint = old.page("/xmlrpc");
    const blog = await startLoopback((_req, res) => {
      res
        .writeHead(200, { "content-type": "text/html", "x-pingback": endpoint })
        .end("<p>post</p>");
    });
    try {
      const target = `${blog.url}/post/`;
      const dir = await writeSiteFiles({ "https://me.example/one/": [target] }, { previous: null });
      await sendPingbacks({ ...fast, dir, all: true });
      // The blog moved its pingback server; the old one is gone (404).
      endpoint = current.page("/xmlrpc");
      old.answer = () => ({ http: 404 });
      const links = { "https://me.example/one/": [target], "https://me.example/two/": [target] };
      const added = [{ source: "https://me.example/two/", target }];
      await writeSiteFiles(links, { dir, previous: "2026-06-01T00:00:00.000Z", added });
      const report = await sendPingbacks({ ...fast, dir });
      assert.equal(report.counts.sent, 1);
      assert.equal(report.settled[0]?.discovery?.via, "header");
      assert.equal(current.received.get(`https://me.example/two/ ${target}`), 1);
      assert.equal(blog.requests.length, 2);
      assert.equal((await readState(dir))?.endpoints?.[0]?.endpoint, endpoint);
    } finally {
      await Promise.all([old.close(), current.close(), blog.close()]);
    }
  });
});
