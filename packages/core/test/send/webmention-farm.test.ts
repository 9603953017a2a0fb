import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readState, type StateEntry, type StateFile, sendPingbacks } from "../../src/send/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";
import { FAST_SEND as fast, writeSiteFiles } from "./peers.ts";
import { type PythonPeer, startPythonPeer } from "./python-peer.ts";

/**
 * A loopback peer farm: targets under /wm/ advertise only Webmention (Link header), under
 * /pb/ only Pingback (X-Pingback to Python's xmlrpc.server, an independent peer), under
 * /both/ both. The Webmention endpoint logs every POST as it came (content type, body).
 */

interface Mention {
  contentType: string;
  body: string;
  source: string;
  target: string;
  query: string;
}

describe("mixed-protocol peer farm: one notification per pair, the life of a link", () => {
  let python: PythonPeer;
  let site: Loopback;
  const mentions: Mention[] = [];
  /** What targets under /switch/ advertise. */
  let switchTo: "webmention" | "pingback" = "webmention";
  before(async () => {
    python = await startPythonPeer();
    let statusId = 0;
    site = await startLoopback((req, res, body) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/webmention") {
        const form = new URLSearchParams(body);
        mentions.push({
          contentType: String(req.headers["content-type"]),
          body,
          source: form.get("source") ?? "",
          target: form.get("target") ?? "",
          query: url.search,
        });
        // Every other one answers 201 with a status URL, the rest 202 without.
        statusId += 1;
        if (statusId % 2 === 1) res.writeHead(201, { location: `/status/${statusId}` }).end();
        else res.writeHead(202).end("queued");
        return;
      }
      const headers: Record<string, string> = { "content-type": "text/html" };
      const switched = url.pathname.startsWith("/switch/") ? switchTo : undefined;
      if (
        switched === "webmention" ||
        url.pathname.startsWith("/wm/") ||
        url.pathname.startsWith("/both/")
      ) {
        headers.link = '</webmention?key=abc>; rel="webmention"';
      }
      if (
        switched === "pingback" ||
        url.pathname.startsWith("/pb/") ||
        url.pathname.startsWith("/both/")
      ) {
        headers["x-pingback"] = python.url;
      }
      res
        .writeHead(200, headers)
        .end("<html><head><title>t</title></head><body>post</body></html>");
    });
  });
  after(async () => {
    python.process.kill();
    await site.close();
  });

  const mentionKeys = () => mentions.map((m) => `${m.source} ${m.target}`).sort();
  const pingKeys = () => python.calls.map((c) => `${c.source} ${c.target}`).sort();
  const A = "https://me.example/a/";
  const B = "https://me.example/b/";

  it("sends each pair once in its protocol, then re-sends Webmentions for removals and a deleted post only", async () => {
    const t = (path: string) => `${site.url}${path}`;
    const build1 = {
      [A]: [t("/wm/1"), t("/wm/2"), t("/pb/1"), t("/pb/2"), t("/both/1"), t("/both/2")],
      [B]: [t("/wm/3"), t("/pb/3"), t("/both/3")],
    };
    // Not a first run: the outbox says every pair is new since the previous build.
    const dir = await writeSiteFiles(build1, { previous: "2026-01-01T00:00:00.000Z" });
    const first = await sendPingbacks({ ...fast, dir });
    assert.equal(first.counts.sent, 9);

    const webmentionTargets = [
      `${A} ${t("/both/1")}`,
      `${A} ${t("/both/2")}`,
      `${A} ${t("/wm/1")}`,
      `${A} ${t("/wm/2")}`,
      `${B} ${t("/both/3")}`,
      `${B} ${t("/wm/3")}`,
    ];
    assert.deepEqual(mentionKeys(), webmentionTargets);
    assert.deepEqual(pingKeys(), [
      `${A} ${t("/pb/1")}`,
      `${A} ${t("/pb/2")}`,
      `${B} ${t("/pb/3")}`,
    ]);
    for (const mention of mentions) {
      assert.equal(mention.contentType, "application/x-www-form-urlencoded");
      assert.deepEqual([...new URLSearchParams(mention.body).keys()], ["source", "target"]);
      // The endpoint's own query stays in its URL, never in the body.
      assert.equal(mention.query, "?key=abc");
    }
    let state = (await readState(dir)) as StateFile;
    assert.equal(state.version, 2);
    const byTarget = (path: string, source = A) =>
      state.pairs.find((p) => p.source === source && p.target === t(path)) as StateEntry;
    assert.equal(byTarget("/wm/1").protocol, "webmention");
    assert.equal(byTarget("/both/1").protocol, "webmention");
    assert.equal(byTarget("/pb/1").protocol, "pingback");
    assert.equal(byTarget("/pb/1").endpoint, python.url);
    assert.equal(byTarget("/wm/1").endpoint, `${site.url}/webmention?key=abc`);
    const withStatus = state.pairs.filter((p) => p.statusUrl !== undefined);
    assert.equal(withStatus.length, 3);
    for (const pair of withStatus) assert.match(pair.statusUrl ?? "", /\/status\/\d+$/);

    // Rebuild: A drops one link of each kind; B is deleted.
    const build2 = { [A]: [t("/wm/1"), t("/pb/1"), t("/both/2")] };
    await writeSiteFiles(build2, { dir, previous: "2026-01-02T00:00:00.000Z", added: [] });
    const dry = await sendPingbacks({ ...fast, dir, dryRun: true });
    const why = Object.fromEntries(
      dry.plan.decisions.map((d) => [`${d.source} ${d.target}`, `${d.action} ${d.why}`]),
    );
    assert.equal(why[`${A} ${t("/wm/2")}`], "send removed");
    assert.equal(why[`${A} ${t("/both/1")}`], "send removed");
    assert.equal(why[`${A} ${t("/pb/2")}`], "record removed");
    assert.equal(why[`${B} ${t("/wm/3")}`], "send page-deleted");
    assert.equal(why[`${B} ${t("/pb/3")}`], "record page-deleted");
    assert.equal(why[`${A} ${t("/wm/1")}`], "none settled");

    mentions.length = 0;
    const callsBefore = python.calls.length;
    const second = await sendPingbacks({ ...fast, dir });
    assert.deepEqual(mentionKeys(), [
      `${A} ${t("/both/1")}`,
      `${A} ${t("/wm/2")}`,
      `${B} ${t("/both/3")}`,
      `${B} ${t("/wm/3")}`,
    ]);
    assert.equal(python.calls.length, callsBefore, "no Pingback for removals");
    assert.equal(second.counts.removed, 2);
    state = (await readState(dir)) as StateFile;
    assert.equal(byTarget("/pb/2").status, "removed");
    assert.equal(byTarget("/pb/2").gone, "removed");
    assert.equal(byTarget("/pb/3", B).gone, "page-deleted");
    assert.equal(byTarget("/wm/2").change, "removed");
    assert.equal(byTarget("/wm/3", B).change, "page-deleted");
    assert.equal(byTarget("/wm/3", B).status, "sent");
    assert.equal(state.pairs.length, 9, "nothing dropped");

    // A further run sends nothing.
    mentions.length = 0;
    const third = await sendPingbacks({ ...fast, dir });
    assert.equal(third.plan.send.length, 0);
    assert.equal(mentions.length, 0);
    assert.equal(python.calls.length, callsBefore);
  });

  it("re-sends Webmentions (never pings) when a page changes; not with updates off", async () => {
    const t = (path: string) => `${site.url}${path}`;
    const C = "https://me.example/c/";
    const links = { [C]: [t("/wm/c"), t("/pb/c")] };
    const dir = await writeSiteFiles(links, {
      previous: "2026-01-01T00:00:00.000Z",
      hashes: { [C]: "v1" },
    });
    await sendPingbacks({ ...fast, dir });
    mentions.length = 0;
    const calls = python.calls.length;

    await writeSiteFiles(links, {
      dir,
      previous: "2026-01-02T00:00:00.000Z",
      added: [],
      hashes: { [C]: "v2" },
    });
    const off = await sendPingbacks({ ...fast, dir, dryRun: true, updates: false });
    assert.equal(off.plan.send.length, 0);
    const changed = await sendPingbacks({ ...fast, dir });
    assert.deepEqual(
      changed.plan.decisions.map((d) => `${d.target} ${d.action} ${d.why}`),
      [`${t("/pb/c")} record page-changed`, `${t("/wm/c")} send page-changed`],
    );
    assert.deepEqual(mentionKeys(), [`${C} ${t("/wm/c")}`]);
    assert.equal(python.calls.length, calls);
    const state = (await readState(dir)) as StateFile;
    for (const pair of state.pairs) {
      assert.equal(pair.sourceHash, "v2");
      assert.ok(pair.sourceChangedAt);
    }
    // Same content again: nothing.
    const again = await sendPingbacks({ ...fast, dir });
    assert.equal(again.plan.send.length, 0);

    // With updates off, the change is recorded and not sent.
    await writeSiteFiles(links, {
      dir,
      previous: "2026-01-03T00:00:00.000Z",
      added: [],
      hashes: { [C]: "v3" },
    });
    mentions.length = 0;
    const quiet = await sendPingbacks({ ...fast, dir, updates: false });
    assert.equal(quiet.plan.send.length, 0);
    assert.equal(mentions.length, 0);
  });

  it("sends no Pingback for a removal when the target has moved from Webmention to Pingback", async () => {
    const t = (path: string) => `${site.url}${path}`;
    const E = "https://me.example/e/";
    const dir = await writeSiteFiles(
      { [E]: [t("/switch/1"), t("/wm/e")] },
      { previous: "2026-01-01T00:00:00.000Z" },
    );
    await sendPingbacks({ ...fast, dir, endpointMaxAgeMs: 0 });
    switchTo = "pingback";
    try {
      await writeSiteFiles(
        { [E]: [t("/wm/e")] },
        { dir, previous: "2026-01-02T00:00:00.000Z", added: [] },
      );
      mentions.length = 0;
      const calls = python.calls.length;
      const report = await sendPingbacks({ ...fast, dir, endpointMaxAgeMs: 0 });
      assert.equal(report.plan.send.length, 1);
      assert.equal(python.calls.length, calls);
      assert.equal(mentions.length, 0);
      const entry = report.settled[0]?.entry;
      assert.equal(entry?.status, "removed");
      assert.equal(entry?.gone, "removed");
      assert.match(entry?.message ?? "", /Pingback only/);
    } finally {
      switchTo = "webmention";
    }
  });

  it("judges nothing gone from a manifest with no pages (a broken build)", async () => {
    const t = (path: string) => `${site.url}${path}`;
    const F = "https://me.example/f/";
    const dir = await writeSiteFiles(
      { [F]: [t("/wm/f")] },
      { previous: "2026-01-01T00:00:00.000Z" },
    );
    await sendPingbacks({ ...fast, dir });
    await writeSiteFiles({}, { dir, previous: "2026-01-02T00:00:00.000Z", added: [] });
    const report = await sendPingbacks({ ...fast, dir, dryRun: true });
    assert.equal(report.plan.send.length, 0);
    assert.equal(report.plan.record.length, 0);
  });

  it("loads a version 1 state, drops nothing, and writes it back as version 2", async () => {
    const t = (path: string) => `${site.url}${path}`;
    const D = "https://me.example/d/";
    const dir = await writeSiteFiles(
      { [D]: [t("/pb/d"), t("/wm/new")] },
      {
        previous: "2026-01-01T00:00:00.000Z",
        added: [{ source: D, target: t("/wm/new") }],
      },
    );
    const v1 = {
      version: 1,
      pairs: [
        {
          source: D,
          target: t("/pb/d"),
          status: "sent",
          endpoint: python.url,
          message: "registered",
          attempts: 1,
          firstSeenAt: "2025-01-01T00:00:00.000Z",
          firstAttemptAt: "2025-01-01T00:00:00.000Z",
          lastAttemptAt: "2025-01-01T00:00:00.000Z",
        },
        {
          source: "https://me.example/old/",
          target: "https://elsewhere.example/x",
          status: "baseline",
          attempts: 0,
          firstSeenAt: "2025-01-01T00:00:00.000Z",
        },
      ],
      endpoints: [
        { target: t("/pb/d"), endpoint: python.url, discoveredAt: "2025-01-01T00:00:00.000Z" },
      ],
    };
    await writeFile(join(dir, "state.json"), `${JSON.stringify(v1, null, 2)}\n`);
    const report = await sendPingbacks({ ...fast, dir });
    assert.equal(report.counts.sent, 1);
    const text = await readFile(join(dir, "state.json"), "utf8");
    const state = JSON.parse(text) as StateFile;
    assert.equal(state.version, 2);
    assert.equal(state.pairs.length, 3);
    const kept = state.pairs.find((p) => p.target === t("/pb/d")) as StateEntry;
    assert.equal(kept.status, "sent");
    assert.equal(kept.message, "registered");
    assert.equal(kept.firstSeenAt, "2025-01-01T00:00:00.000Z");
    // The old page is gone from the manifest: its never-sent pair is recorded as removed.
    const old = state.pairs.find((p) => p.source === "https://me.example/old/") as StateEntry;
    assert.equal(old.status, "removed");
    assert.equal(old.gone, "page-deleted");
    assert.equal(old.firstSeenAt, "2025-01-01T00:00:00.000Z");
    assert.deepEqual(state.endpoints?.find((e) => e.target === t("/pb/d"))?.endpoint, python.url);
  });
});
