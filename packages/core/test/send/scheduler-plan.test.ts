import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Manifest, Outbox } from "../../src/manifest/types.ts";
import {
  PoliteScheduler,
  pairKey,
  planSend,
  SchedulerStoppedError,
  type SchedulerWait,
  type StateEntry,
} from "../../src/send/index.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Lets a finished job's callbacks and the scheduler's deferred pump run. */
const settle = async () => {
  await tick();
  await tick();
};

describe("PoliteScheduler", () => {
  it("caps global concurrency and runs one job per host at a time", async () => {
    const scheduler = new PoliteScheduler({ concurrency: 3, hostIntervalMs: 0 });
    const active = new Map<string, number>();
    let global = 0;
    let maxGlobal = 0;
    let maxPerHost = 0;
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const host = `h${i % 5}`;
      jobs.push(
        scheduler.run({ host, kind: i % 3 === 0 ? "fetch" : "ping" }, async () => {
          global += 1;
          active.set(host, (active.get(host) ?? 0) + 1);
          maxGlobal = Math.max(maxGlobal, global);
          maxPerHost = Math.max(maxPerHost, active.get(host) ?? 0);
          await tick();
          global -= 1;
          active.set(host, (active.get(host) ?? 0) - 1);
        }),
      );
    }
    await Promise.all(jobs);
    assert.equal(maxGlobal, 3);
    assert.equal(maxPerHost, 1);
  });

  it("keeps pings to a host apart by the interval, measured on its own clock", async () => {
    let clock = 0;
    const scheduler = new PoliteScheduler({
      concurrency: 4,
      hostIntervalMs: 50,
      now: () => clock,
    });
    const starts: number[] = [];
    const first = scheduler.run({ host: "a", kind: "ping" }, async () => {
      starts.push(clock);
    });
    const second = scheduler.run({ host: "a", kind: "ping" }, async () => {
      starts.push(clock);
    });
    await first;
    await tick();
    assert.deepEqual(starts, [0]);
    clock = 50; // by the time the scheduler's timer fires, its clock says the interval passed
    await second;
    assert.deepEqual(starts, [0, 50]);
  });

  it("keeps discovered pairs waiting for their ping to two hosts per slot", async () => {
    const scheduler = new PoliteScheduler({ concurrency: 1, hostIntervalMs: 0 });
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await tick();
    };
    const pinged: Promise<void>[] = [];
    const fetches = ["a", "b", "c", "d", "e"].map((target) =>
      scheduler.run({ host: `h-${target}`, kind: "fetch" }, job(`fetch ${target}`)).then(() => {
        // What the engine does once a target is discovered: queue its ping.
        pinged.push(scheduler.run({ host: `h-${target}`, kind: "ping" }, job(`ping ${target}`)));
      }),
    );
    await Promise.all(fetches);
    await Promise.all(pinged);
    assert.equal(order.length, 10);
    // Below two hosts with pings (per slot) a fetch may open another host; at two, the
    // pings go first, so an interrupted run has little discovered and not yet sent.
    let waiting = 0;
    for (const [at, step] of order.entries()) {
      const [kind, target] = step.split(" ");
      if (kind === "ping") assert.ok(order.indexOf(`fetch ${target}`) < at, order.join(", "));
      waiting += kind === "fetch" ? 1 : -1;
      assert.ok(waiting <= 2, `more than 2 hosts waiting for a ping: ${order.join(", ")}`);
    }
    assert.deepEqual(order.slice(0, 4), ["fetch a", "fetch b", "ping a", "ping b"]);
  });

  it("says which host it waits for, and why, while nothing is in flight", async () => {
    let clock = 1_000;
    const waits: (SchedulerWait | undefined)[] = [];
    const scheduler = new PoliteScheduler({
      concurrency: 2,
      hostIntervalMs: 50,
      now: () => clock,
      onWait: (wait) => waits.push(wait),
    });
    try {
      await scheduler.run({ host: "h", kind: "ping" }, async () => {});
      const second = scheduler.run({ host: "h", kind: "ping" }, async () => {});
      await settle();
      assert.deepEqual(waits, [{ host: "h", until: 1_050, reason: "interval" }]);
      clock = 1_050;
      await second;
      await settle();
      const retry = scheduler.run({ host: "r", kind: "fetch", notBefore: 2_000 }, async () => {});
      assert.deepEqual(waits.slice(1), [undefined, { host: "r", until: 2_000, reason: "retry" }]);
      clock = 2_000;
      await retry;
      await settle();
      assert.equal(waits.at(-1), undefined);
    } finally {
      scheduler.stop();
    }
  });

  it("rejects queued jobs with SchedulerStoppedError after stop()", async () => {
    const scheduler = new PoliteScheduler({ concurrency: 1, hostIntervalMs: 0 });
    const running = scheduler.run({ host: "a", kind: "ping" }, async () => {
      await tick();
      return "done";
    });
    const queued = assert.rejects(
      scheduler.run({ host: "b", kind: "ping" }, async () => "never"),
      SchedulerStoppedError,
    );
    scheduler.stop();
    assert.equal(await running, "done");
    await queued;
    await assert.rejects(
      scheduler.run({ host: "c", kind: "ping" }, async () => 1),
      SchedulerStoppedError,
    );
  });

  it("validates its options", () => {
    assert.throws(() => new PoliteScheduler({ concurrency: 0, hostIntervalMs: 0 }), /concurrency/);
    assert.throws(
      () => new PoliteScheduler({ concurrency: 1, hostIntervalMs: -1 }),
      /hostIntervalMs/,
    );
  });
});

describe("planSend", () => {
  const manifest: Manifest = {
    version: 1,
    site: "https://me.example/",
    endpoint: "https://me.example/xmlrpc",
    generatedAt: "2030-01-01T00:00:00.000Z",
    pages: {
      "https://me.example/a/": {
        pingback: true,
        links: ["https://x.example/1", "https://y.example/2"],
      },
      "https://me.example/b/": { pingback: false, links: ["https://x.example/1"] },
    },
  };
  const outbox = (
    previous: string | null,
    added = [{ source: "https://me.example/c/", target: "https://z.example/" }],
  ): Outbox => ({
    version: 1,
    generatedAt: "2030-01-01T00:00:00.000Z",
    previousGeneratedAt: previous,
    added,
    removed: [],
    pagesAdded: [],
    pagesRemoved: [],
  });
  const entry = (
    source: string,
    target: string,
    status: StateEntry["status"],
    nextAttemptAt?: string,
  ): StateEntry => ({
    source,
    target,
    status,
    attempts: 1,
    firstSeenAt: "2030-01-01T00:00:00.000Z",
    ...(nextAttemptAt ? { nextAttemptAt } : {}),
  });
  const now = new Date("2030-01-02T00:00:00.000Z");

  it("makes every pair a baseline on a first run, unless all", () => {
    const first = planSend({
      manifest,
      outbox: outbox(null),
      state: new Map(),
      stateExisted: false,
      all: false,
      now,
    });
    assert.equal(first.firstRun, true);
    assert.equal(first.baseline.length, 4);
    assert.equal(first.send.length, 0);
    const all = planSend({
      manifest,
      outbox: outbox(null),
      state: new Map(),
      stateExisted: false,
      all: true,
      now,
    });
    assert.deepEqual(
      all.send.map((pair) => `${pair.source} ${pair.target}`),
      [
        "https://me.example/a/ https://x.example/1",
        "https://me.example/a/ https://y.example/2",
        "https://me.example/b/ https://x.example/1",
        "https://me.example/c/ https://z.example/",
      ],
    );
  });

  it("sends new pairs, skips settled ones, retries failed ones when due", () => {
    const state = new Map<string, StateEntry>();
    const put = (e: StateEntry) => state.set(pairKey(e.source, e.target), e);
    put(entry("https://me.example/a/", "https://x.example/1", "sent"));
    put(
      entry("https://me.example/a/", "https://y.example/2", "failed", "2030-01-03T00:00:00.000Z"),
    );
    put(
      entry("https://me.example/b/", "https://x.example/1", "failed", "2030-01-01T12:00:00.000Z"),
    );
    put(entry("https://me.example/c/", "https://z.example/", "baseline"));
    const plan = planSend({
      manifest,
      outbox: outbox("2029-12-31T00:00:00.000Z"),
      state,
      stateExisted: true,
      all: false,
      now,
    });
    assert.equal(plan.firstRun, false);
    assert.deepEqual(
      plan.send.map((pair) => pair.source),
      ["https://me.example/b/"],
    );
    assert.equal(plan.waiting.length, 1);
    assert.equal(plan.settled, 2);
    const all = planSend({
      manifest,
      outbox: outbox("2029-12-31T00:00:00.000Z"),
      state,
      stateExisted: true,
      all: true,
      now,
    });
    assert.equal(all.send.length, 3);
  });

  it("follows the life of a link: removed, page deleted, back again, retries of a removal", () => {
    const A = "https://me.example/a/";
    const state = new Map<string, StateEntry>();
    const put = (e: StateEntry) => state.set(pairKey(e.source, e.target), e);
    const wm = (e: StateEntry): StateEntry => ({ ...e, protocol: "webmention" });
    const pb = (e: StateEntry): StateEntry => ({ ...e, protocol: "pingback" });
    put(wm(entry(A, "https://x.example/1", "sent")));
    put(wm(entry(A, "https://gone.example/wm", "sent")));
    put(pb(entry(A, "https://gone.example/pb", "sent")));
    put(wm(entry(A, "https://gone.example/never", "rejected")));
    put(wm(entry("https://me.example/deleted/", "https://x.example/1", "already-registered")));
    put({
      ...wm(entry(A, "https://gone.example/due", "failed", "2030-01-01T00:00:00.000Z")),
      gone: "removed",
      change: "removed",
    });
    put({ ...pb(entry(A, "https://y.example/2", "removed")), gone: "removed" });
    const plan = planSend({
      manifest,
      outbox: outbox("2029-12-31T00:00:00.000Z", []),
      state,
      stateExisted: true,
      all: false,
      now,
    });
    const why = Object.fromEntries(
      plan.decisions.map((d) => [
        `${d.source} ${d.target}`,
        `${d.action} ${d.why} ${d.protocol ?? "-"}`,
      ]),
    );
    assert.equal(why[`${A} https://x.example/1`], "none settled webmention");
    assert.equal(why[`${A} https://gone.example/wm`], "send removed webmention");
    assert.equal(why[`${A} https://gone.example/pb`], "record removed pingback");
    assert.equal(why[`${A} https://gone.example/never`], "record removed webmention");
    assert.equal(
      why["https://me.example/deleted/ https://x.example/1"],
      "send page-deleted webmention",
    );
    assert.equal(why[`${A} https://gone.example/due`], "send retry-due webmention");
    // The link came back: news again.
    assert.equal(why[`${A} https://y.example/2`], "send new pingback");
    const sent = Object.fromEntries(plan.send.map((p) => [p.target + p.source, p]));
    assert.equal(sent[`https://gone.example/wm${A}`]?.gone, "removed");
    assert.equal(sent[`https://y.example/2${A}`]?.gone, undefined);
    const recorded = plan.record.find((e) => e.target === "https://gone.example/pb");
    assert.equal(recorded?.status, "removed");
    assert.equal(recorded?.gone, "removed");
    assert.match(recorded?.message ?? "", /Pingback cannot retract/);
  });

  it("re-sends Webmentions for a changed page (not with updates off), records the rest", () => {
    const A = "https://me.example/a/";
    const changed: Manifest = {
      ...manifest,
      pages: {
        ...manifest.pages,
        [A]: {
          pingback: true,
          links: ["https://x.example/1", "https://y.example/2"],
          contentHash: "new",
        },
      },
    };
    const state = new Map<string, StateEntry>();
    const put = (e: StateEntry) => state.set(pairKey(e.source, e.target), e);
    put({ ...entry(A, "https://x.example/1", "sent"), protocol: "webmention", sourceHash: "old" });
    put({ ...entry(A, "https://y.example/2", "sent"), protocol: "pingback", sourceHash: "old" });
    put(entry("https://me.example/b/", "https://x.example/1", "sent"));
    const input = {
      manifest: changed,
      outbox: outbox("2029-12-31T00:00:00.000Z", []),
      state,
      stateExisted: true,
      all: false,
      now,
    };
    const plan = planSend(input);
    assert.deepEqual(
      plan.decisions.map((d) => `${d.target} ${d.action} ${d.why}`),
      [
        "https://x.example/1 send page-changed",
        "https://y.example/2 record page-changed",
        "https://x.example/1 none settled",
      ],
    );
    assert.equal(plan.send[0]?.sourceHash, "new");
    assert.equal(plan.send[0]?.sourceChangedAt, now.toISOString());
    const off = planSend({ ...input, updates: false });
    assert.equal(off.send.length, 0);
    assert.equal(off.record.length, 2);
  });

  it("without state but with a previous manifest, sends only the outbox's added pairs", () => {
    const plan = planSend({
      manifest,
      outbox: outbox("2029-12-31T00:00:00.000Z"),
      state: new Map(),
      stateExisted: false,
      all: false,
      now,
    });
    assert.equal(plan.firstRun, false);
    assert.deepEqual(
      plan.send.map((pair) => `${pair.source} ${pair.target}`),
      ["https://me.example/c/ https://z.example/"],
    );
    assert.equal(plan.baseline.length, 3);
  });
});
