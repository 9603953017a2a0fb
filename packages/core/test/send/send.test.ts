import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PingbackFileError } from "../../src/files/file-error.ts";
import {
  readState,
  type StateFile,
  StateLockedError,
  sendPingbacks,
} from "../../src/send/index.ts";
import { startLoopback } from "../net/loopback.ts";
import {
  FAST_SEND as fast,
  type PeerSite,
  startPeerSite,
  totalReceived,
  writeSiteFiles,
} from "./peers.ts";

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe("sendPingbacks", () => {
  let a: PeerSite;
  let b: PeerSite;
  before(async () => {
    a = await startPeerSite();
    b = await startPeerSite();
  });
  after(async () => {
    await a.close();
    await b.close();
  });
  const reset = () => {
    for (const site of [a, b]) {
      site.received.clear();
      site.maxInFlight = 0;
      site.pingTimes.length = 0;
      site.answer = () => ({ ok: "Thanks!" });
    }
  };
  const links = () => ({
    "https://me.example/one/": [a.page("/p1"), b.page("/p1")],
    "https://me.example/two/": [a.page("/p1"), a.page("/p2")],
  });

  it("first run records every pair as baseline and sends nothing", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: null });
    const report = await sendPingbacks({ ...fast, dir });
    assert.equal(report.plan.firstRun, true);
    assert.equal(report.counts.baseline, 4);
    assert.equal(totalReceived([a, b]), 0);
    const state = (await readState(dir)) as StateFile;
    assert.deepEqual(new Set(state.pairs.map((pair) => pair.status)), new Set(["baseline"]));
    assert.equal(await exists(join(dir, "state.lock")), false);

    // A new link in the next build is sent; the baseline stays unsent.
    const next = { ...links(), "https://me.example/three/": [b.page("/p9")] };
    await writeSiteFiles(next, {
      dir,
      previous: "2026-01-01T00:00:00.000Z",
      added: [{ source: "https://me.example/three/", target: b.page("/p9") }],
    });
    const second = await sendPingbacks({ ...fast, dir });
    assert.equal(second.counts.sent, 1);
    assert.deepEqual([...b.received.keys()], [`https://me.example/three/ ${b.page("/p9")}`]);
  });

  it("--all sends every pair exactly once, politely, and a rerun sends nothing", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: null });
    const report = await sendPingbacks({
      ...fast,
      dir,
      all: true,
      hostIntervalMs: 30,
      concurrency: 4,
    });
    assert.equal(report.counts.sent, 4);
    assert.deepEqual([...a.received.values()], [1, 1, 1]);
    assert.deepEqual([...b.received.values()], [1]);
    assert.equal(a.maxInFlight, 1);
    for (let i = 1; i < a.pingTimes.length; i++) {
      assert.ok((a.pingTimes[i] as number) - (a.pingTimes[i - 1] as number) >= 30);
    }
    const state = (await readState(dir)) as StateFile;
    const entry = state.pairs.find((pair) => pair.target === a.page("/p2"));
    assert.equal(entry?.status, "sent");
    assert.equal(entry?.endpoint, `${a.url}/xmlrpc`);
    assert.equal(entry?.attempts, 1);
    assert.equal(entry?.message, "Thanks!");
    const rerun = await sendPingbacks({ ...fast, dir, all: true });
    assert.equal(rerun.plan.send.length, 0);
    assert.equal(totalReceived([a, b]), 4);
  });

  it("firstSeenAt is when the run saw the pair, not when it first tried it", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: "2026-01-01T00:00:00.000Z" });
    // A clock that moves a second on every reading: the plan reads it first.
    let ticks = 0;
    const start = Date.parse("2026-06-01T00:00:00.000Z");
    const now = () => new Date(start + 1000 * ticks++);
    await sendPingbacks({ ...fast, dir, now });
    const state = (await readState(dir)) as StateFile;
    assert.equal(state.pairs.length, 4);
    for (const pair of state.pairs) {
      assert.equal(pair.firstSeenAt, "2026-06-01T00:00:00.000Z");
      assert.ok((pair.firstAttemptAt ?? "") > pair.firstSeenAt, pair.firstAttemptAt);
    }
  });

  it("writes deterministic, sorted state", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: null });
    await sendPingbacks({ ...fast, dir });
    const text = await readFile(join(dir, "state.json"), "utf8");
    const state = JSON.parse(text) as StateFile;
    const keys = state.pairs.map((pair) => `${pair.source} ${pair.target}`);
    assert.deepEqual(keys, [...keys].sort());
    assert.ok(text.endsWith("}\n"));
    assert.match(text, /^\{\n {2}"version": 2,/);
  });

  it("--dry-run sends nothing and touches no state", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: null });
    const report = await sendPingbacks({ ...fast, dir, dryRun: true, all: true });
    assert.equal(report.plan.send.length, 4);
    assert.equal(totalReceived([a, b]), 0);
    assert.equal(await exists(join(dir, "state.json")), false);
    assert.equal(await exists(join(dir, "state.lock")), false);
  });

  it("retries a transient fault within the run, then succeeds", async () => {
    reset();
    a.answer = (_s, _t, count) => (count === 1 ? { fault: 0, message: "" } : { ok: "second time" });
    const dir = await writeSiteFiles(
      { "https://me.example/one/": [a.page("/p1")] },
      { previous: null },
    );
    const report = await sendPingbacks({ ...fast, dir, all: true });
    assert.equal(report.counts.sent, 1);
    const [entry] = ((await readState(dir)) as StateFile).pairs;
    assert.equal(entry?.attempts, 2);
    assert.equal(entry?.status, "sent");
  });

  it("gives a failing pair a nextAttemptAt, waits for it, then gives up at maxAttempts", async () => {
    reset();
    a.answer = () => ({ fault: 50, message: "upstream down" });
    const dir = await writeSiteFiles(
      { "https://me.example/one/": [a.page("/p1")] },
      { previous: null },
    );
    let clock = new Date("2030-01-01T00:00:00Z");
    const options = { ...fast, dir, all: true, retriesPerRun: 0, maxAttempts: 2, now: () => clock };
    const first = await sendPingbacks(options);
    assert.equal(first.counts.failed, 1);
    assert.equal(first.transientRemaining, 1);
    let [entry] = ((await readState(dir)) as StateFile).pairs;
    assert.equal(entry?.status, "failed");
    assert.equal(entry?.faultCode, 50);
    assert.equal(entry?.nextAttemptAt, "2030-01-01T00:15:00.000Z");

    const early = await sendPingbacks({ ...options, all: false });
    assert.equal(early.plan.waiting.length, 1);
    assert.equal(totalReceived([a]), 1);

    clock = new Date("2030-01-01T01:00:00Z");
    await sendPingbacks({ ...options, all: false });
    [entry] = ((await readState(dir)) as StateFile).pairs;
    assert.equal(entry?.status, "rejected");
    assert.equal(entry?.attempts, 2);
    assert.match(entry?.message ?? "", /gave up after 2 attempts: upstream down/);
  });

  it("records targets without an endpoint and fault codes", async () => {
    reset();
    a.answer = (_s, target) =>
      target.endsWith("/p1") ? { fault: 48 } : { fault: 17, message: "no link" };
    const dir = await writeSiteFiles(
      { "https://me.example/one/": [a.page("/p1"), a.page("/p2"), a.page("/plain")] },
      { previous: null },
    );
    const report = await sendPingbacks({ ...fast, dir, all: true });
    assert.equal(report.counts["already-registered"], 1);
    assert.equal(report.counts.rejected, 1);
    assert.equal(report.counts["no-endpoint"], 1);
    const state = (await readState(dir)) as StateFile;
    const byTarget = Object.fromEntries(
      state.pairs.map((pair) => [pair.target.replace(a.url, ""), pair]),
    );
    assert.equal(byTarget["/p2"]?.faultCode, 17);
    assert.equal(byTarget["/p2"]?.message, "no link");
    assert.equal(byTarget["/plain"]?.status, "no-endpoint");
    assert.match(byTarget["/plain"]?.message ?? "", /no X-Pingback header, and no <link/);
    assert.equal(byTarget["/plain"]?.endpoint, undefined);
  });

  it("records a fault whose code is not an integer as fault 0, and later runs still read the state", async () => {
    reset();
    const codes = ["<double>1.5</double>", "<i8>99999999999999999999</i8>", "<string>x</string>"];
    a.answer = (_s, target) => {
      const code = codes[Number(target.slice(-1))] ?? "";
      return {
        xml: `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value>${code}</value></member><member><name>faultString</name><value>odd</value></member></struct></value></fault></methodResponse>`,
      };
    };
    const targets = codes.map((_code, index) => a.page(`/odd${index}`));
    const dir = await writeSiteFiles({ "https://me.example/one/": targets }, { previous: null });
    await sendPingbacks({ ...fast, dir, all: true, retriesPerRun: 0 });
    const state = (await readState(dir)) as StateFile;
    assert.deepEqual(
      state.pairs.map((pair) => [pair.faultCode, pair.status, pair.message]),
      [
        [0, "failed", "fault code <double>1.5 is not an integer, taken as 0: odd"],
        [0, "failed", "fault code <i8>99999999999999999999 is not an integer, taken as 0: odd"],
        [0, "failed", "fault code <string>x is not an integer, taken as 0: odd"],
      ],
    );
    const again = await sendPingbacks({ ...fast, dir, all: true, retriesPerRun: 0 });
    assert.equal(again.counts.failed, 3);
  });

  it("with checkSources, holds back pairs WordPress would refuse", async () => {
    reset();
    const target = a.page("/p1?x=1&y=2");
    const sources = await startLoopback((req, res) => {
      if (req.url === "/good/") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<title>t</title><p><a href="${target.replace("&", "&amp;")}">there</a></p>`);
      } else if (req.url === "/moved") res.writeHead(301, { location: "/good/" }).end();
      else if (req.url === "/nolink/")
        res.writeHead(200, { "content-type": "text/html" }).end("<p>none</p>");
      else res.writeHead(404).end();
    });
    const dir = await writeSiteFiles(
      {
        [`${sources.url}/good/`]: [target],
        [`${sources.url}/moved`]: [target],
        [`${sources.url}/nolink/`]: [target],
        [`${sources.url}/gone/`]: [target],
      },
      { previous: null },
    );
    const report = await sendPingbacks({ ...fast, dir, all: true, checkSources: true });
    await sources.close();
    assert.equal(report.counts.sent, 1);
    assert.equal(report.counts.failed, 3);
    assert.deepEqual([...a.received.keys()], [`${sources.url}/good/ ${target}`]);
    const bySource = Object.fromEntries(
      ((await readState(dir)) as StateFile).pairs.map((pair) => [
        pair.source.replace(sources.url, ""),
        pair,
      ]),
    );
    assert.match(bySource["/moved"]?.message ?? "", /redirects \(HTTP 301 to \/good\/\)/);
    assert.match(bySource["/nolink/"]?.message ?? "", /does not contain a link .* first 150 KB/);
    assert.match(bySource["/gone/"]?.message ?? "", /answered HTTP 404/);
    // Not retried within the run: the page would fail the same way.
    assert.equal(bySource["/moved"]?.attempts, 1);
  });

  it("rejects an unusable target URL without stopping the run", async () => {
    reset();
    const dir = await writeSiteFiles(
      { "https://me.example/one/": ["http://", a.page("/p1")] },
      { previous: null },
    );
    const report = await sendPingbacks({ ...fast, dir, all: true });
    assert.equal(report.counts.sent, 1);
    assert.equal(report.counts.rejected, 1);
    const state = (await readState(dir)) as StateFile;
    assert.match(
      state.pairs.find((pair) => pair.target === "http://")?.message ?? "",
      /not an absolute URL/,
    );
  });

  it("refuses a second run on the same directory, and takes over a stale lock", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: null });
    const lock = join(dir, "state.lock");
    await writeFile(
      lock,
      JSON.stringify({
        pid: process.pid,
        host: (await import("node:os")).hostname(),
        startedAt: "x",
      }),
    );
    await assert.rejects(sendPingbacks({ ...fast, dir }), (error: unknown) => {
      assert.ok(error instanceof StateLockedError);
      assert.match(error.message, /another static-pingback run .*pid \d+/);
      return true;
    });
    // A lock left by a process that is gone (kill -9) is stale.
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.on("exit", resolve));
    await writeFile(
      lock,
      JSON.stringify({
        pid: child.pid,
        host: (await import("node:os")).hostname(),
        startedAt: "x",
      }),
    );
    const report = await sendPingbacks({ ...fast, dir });
    assert.equal(report.counts.baseline, 4);
  });

  it("respects a fresh lock from another host and takes over one untouched for 10 minutes", async () => {
    reset();
    const dir = await writeSiteFiles(links(), { previous: null });
    const lock = join(dir, "state.lock");
    const other = JSON.stringify({ pid: 1, host: "ci-runner-elsewhere", startedAt: "x" });
    await writeFile(lock, other);
    await assert.rejects(sendPingbacks({ ...fast, dir }), StateLockedError);
    // Restored from a CI cache after a killed run: nobody has touched it for 11 minutes.
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(lock, old, old);
    const report = await sendPingbacks({ ...fast, dir });
    assert.equal(report.counts.baseline, 4);
    assert.equal(await exists(lock), false);
  });

  it("reports a corrupt or foreign state file and never overwrites it", async () => {
    reset();
    for (const content of ["{ not json", '{"version": 3, "pairs": []}', '{"whatever": true}']) {
      const dir = await writeSiteFiles(links(), { previous: null });
      const file = join(dir, "state.json");
      await writeFile(file, content);
      await assert.rejects(sendPingbacks({ ...fast, dir, all: true }), (error: unknown) => {
        assert.ok(error instanceof PingbackFileError);
        assert.ok(error.message.includes(file));
        return true;
      });
      assert.equal(await readFile(file, "utf8"), content);
      assert.equal(await exists(join(dir, "state.lock")), false);
    }
    assert.equal(totalReceived([a, b]), 0);
  });

  it("stops starting pings when asked, and records what finished", async () => {
    const slow = await startPeerSite(20);
    const many: Record<string, string[]> = {};
    for (let i = 0; i < 20; i++) many[`https://me.example/p${i}/`] = [slow.page("/p1")];
    const dir = await writeSiteFiles(many, { previous: null });
    const stop = new AbortController();
    const report = await sendPingbacks({
      ...fast,
      dir,
      all: true,
      onSettled: () => stop.abort(),
      stop: stop.signal,
    });
    assert.equal(report.stopped, true);
    assert.ok(report.settled.length >= 1 && report.settled.length < 20);
    const state = (await readState(dir)) as StateFile;
    assert.equal(
      state.pairs.filter((pair) => pair.status === "sent").length,
      report.settled.length,
    );
    assert.equal(totalReceived([slow]), report.settled.length);
    await slow.close();
  });
});
