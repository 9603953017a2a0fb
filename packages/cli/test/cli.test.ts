import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startLoopback } from "../../core/test/net/loopback.ts";
import {
  type PeerSite,
  startPeerSite,
  totalReceived,
  writeSiteFiles,
} from "../../core/test/send/peers.ts";
import { runCli, runCliHere, startCli } from "./run-cli.ts";

const NET = ["--allow-private", "--host-interval", "0"];

describe("static-pingback CLI", () => {
  let a: PeerSite;
  before(async () => {
    a = await startPeerSite();
  });
  after(() => a.close());

  it("--version, --help and usage errors", async () => {
    const version = await runCli(["--version"]);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    for (const command of ["send", "status", "discover", "ping"]) {
      const help = await runCliHere([command, "--help"]);
      assert.equal(help.code, 0, command);
      assert.match(help.stdout, /Exit codes:/);
    }
    assert.equal((await runCliHere(["send", "--nope"])).code, 2);
    assert.equal((await runCliHere(["send", "--concurrency", "zero"])).code, 2);
    assert.equal((await runCliHere(["frobnicate"])).code, 2);
    assert.equal((await runCliHere(["discover", "not a url"])).code, 2);
  });

  it("--help: each command lists its own exit codes; repeatable options show no default", async () => {
    const serve = await runCliHere(["serve", "--help"]);
    assert.equal(serve.code, 0);
    assert.match(serve.stdout, /Exit codes:\n {2}0 {4}stopped by SIGINT\/SIGTERM/);
    assert.doesNotMatch(serve.stdout, /--strict|transient|targets answered|130/);
    assert.doesNotMatch(serve.stdout, /\(default: \[\]\)/);
    assert.match(serve.stdout, /--trusted <host>/);
    const send = await runCliHere(["send", "--help"]);
    assert.match(
      send.stdout,
      /3 {4}with --strict: transient failures remain\n {2}130 {2}interrupted/,
    );
    const status = await runCliHere(["status", "--help"]);
    assert.doesNotMatch(status.stdout, /--strict|130/);
    const root = await runCliHere(["--help"]);
    assert.match(root.stdout, /3 {4}with --strict: transient failures remain \(send\)/);
  });

  it("send: missing files are an input error", async () => {
    const result = await runCliHere(["send", "--dir", "/nonexistent/sp-dir"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no manifest\.json or outbox\.json/);
  });

  it("send: first run records a baseline; --dry-run and --all; status", async () => {
    a.received.clear();
    const dir = await writeSiteFiles(
      {
        "https://me.example/one/": [a.page("/p1"), a.page("/p2")],
        "https://me.example/two/": [a.page("/plain")],
      },
      { previous: null },
    );
    const first = await runCliHere(["send", "--dir", dir, ...NET]);
    assert.equal(first.code, 0);
    assert.match(first.stdout, /First run: 3 existing pairs recorded as baseline/);
    assert.match(first.stdout, /baseline\s+3\s+3/);

    const dry = await runCliHere(["send", "--dir", dir, "--all", "--dry-run", ...NET]);
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /3 to send/);
    assert.match(
      dry.stdout,
      new RegExp(`send +baseline +https://me\\.example/one/ -> ${a.page("/p1")}`),
    );
    assert.equal(totalReceived([a]), 0);

    const all = await runCliHere(["send", "--dir", dir, "--all", "--json", ...NET]);
    assert.equal(all.code, 0);
    const report = JSON.parse(all.stdout) as {
      counts: Record<string, number>;
      results: { status: string }[];
    };
    assert.equal(report.counts.sent, 2);
    assert.equal(report.counts["no-endpoint"], 1);
    assert.equal(report.results.length, 3);
    assert.equal(totalReceived([a]), 2);

    const status = await runCliHere(["status", "--dir", dir]);
    assert.equal(status.code, 0);
    assert.match(status.stdout, /sent\s+2/);
    assert.match(status.stdout, /no-endpoint\s+1/);
    const json = JSON.parse((await runCliHere(["status", "--dir", dir, "--json"])).stdout) as {
      counts: Record<string, number>;
    };
    assert.equal(json.counts.sent, 2);
  });

  it("send: one plain line per pair in CI, failures listed, --strict exits 3", async () => {
    a.received.clear();
    a.answer = () => ({ fault: 0, message: "" });
    const dir = await writeSiteFiles(
      { "https://me.example/one/": [a.page("/p1")] },
      { previous: "2026-01-01T00:00:00.000Z" },
    );
    const result = await runCliHere(["send", "--dir", dir, "--strict", "--retries", "0", ...NET]);
    a.answer = () => ({ ok: "Thanks!" });
    assert.equal(result.code, 3);
    assert.match(result.stdout, /^failed\s+https:\/\/me\.example\/one\/ -> /m);
    assert.match(result.stdout, /Not delivered:/);
    const status = await runCliHere(["status", "--dir", dir]);
    assert.match(status.stdout, /Pending retries:/);
  });

  it("send: a corrupt state file is reported with its path and left alone", async () => {
    const dir = await writeSiteFiles(
      { "https://me.example/one/": [a.page("/p1")] },
      { previous: null },
    );
    const file = join(dir, "state.json");
    await writeFile(file, "{ oops");
    const result = await runCliHere(["send", "--dir", dir, ...NET]);
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(file));
    assert.match(result.stderr, /left untouched/);
    assert.equal(await readFile(file, "utf8"), "{ oops");
  });

  it("status and send: a bad journal line is reported and skipped, the rest is used", async () => {
    const dir = await writeSiteFiles(
      { "https://me.example/one/": [a.page("/p1")] },
      { previous: null },
    );
    const line = {
      source: "https://me.example/one/",
      target: a.page("/p1"),
      status: "rejected",
      attempts: 1,
      firstSeenAt: "2026-01-01T00:00:00.000Z",
      faultCode: 1.5,
    };
    await writeFile(join(dir, "state.journal"), `${JSON.stringify(line)}\n`);
    const status = await runCliHere(["status", "--dir", dir]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stderr, /warning: .*state\.journal line 1 is not a state entry/);
    const sent = await runCliHere(["send", "--dir", dir, ...NET]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stderr, /line 1 is not a state entry .*kept in .*state\.journal\.skipped/);
    assert.equal(
      await readFile(join(dir, "state.journal.skipped"), "utf8"),
      `${JSON.stringify(line)}\n`,
    );
  });

  it("send: a second run at the same time refuses with a clear message", async () => {
    const slow = await startPeerSite(150);
    const links: Record<string, string[]> = {};
    for (let i = 0; i < 6; i++) links[`https://me.example/p${i}/`] = [slow.page("/t")];
    const dir = await writeSiteFiles(links, { previous: null });
    const first = startCli(["send", "--dir", dir, "--all", ...NET]);
    // Wait until the first run holds the lock (its first ping arrived).
    while (slow.received.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await runCliHere(["send", "--dir", dir, "--all", ...NET]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /another static-pingback run is using this state directory/);
    assert.equal((await first.done).code, 0);
    assert.equal(totalReceived([slow]), 6);
    await slow.close();
  });

  it("send: Ctrl-C stops new pings, writes state and exits 130", async () => {
    const slow = await startPeerSite(100);
    const links: Record<string, string[]> = {};
    for (let i = 0; i < 10; i++) links[`https://me.example/p${i}/`] = [slow.page("/t")];
    const dir = await writeSiteFiles(links, { previous: null });
    const run = startCli(["send", "--dir", dir, "--all", ...NET]);
    while (totalReceived([slow]) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    run.child.kill("SIGINT");
    const result = await run.done;
    assert.equal(result.code, 130);
    assert.match(result.stderr, /Stopping/);
    const state = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as {
      pairs: { status: string }[];
    };
    const sent = state.pairs.filter((pair) => pair.status === "sent").length;
    assert.ok(sent >= 1 && sent < 10, `sent ${sent}`);
    assert.equal(totalReceived([slow]), sent);
    await slow.close();
  });

  it("send: a second Ctrl-C abandons in-flight pings, which stay unsent in state", async () => {
    const stuck = await startPeerSite(5_000);
    const links: Record<string, string[]> = {};
    for (let i = 0; i < 3; i++) links[`https://me.example/p${i}/`] = [stuck.page("/t")];
    const dir = await writeSiteFiles(links, { previous: null });
    const run = startCli(["send", "--dir", dir, "--all", ...NET]);
    // The discovery GET is under way once the server has a connection.
    while (stuck.maxInFlight === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    run.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill("SIGINT");
    const result = await run.done;
    assert.equal(result.code, 130);
    assert.match(result.stderr, /Abandoning in-flight pings/);
    const state = await readFile(join(dir, "state.json"), "utf8").catch(() => '{"pairs":[]}');
    const pairs = (JSON.parse(state) as { pairs: { status: string }[] }).pairs;
    assert.equal(pairs.filter((pair) => pair.status === "sent").length, 0);
    await stuck.close();
  });

  it("discover: header, link element, none", async () => {
    const header = await runCliHere(["discover", a.page("/p1"), "--allow-private"]);
    assert.equal(header.code, 0);
    assert.match(header.stdout, /X-Pingback {4}http:\/\/127\.0\.0\.1:\d+\/xmlrpc/);
    assert.match(header.stdout, /because {7}X-Pingback header/);
    const none = await runCliHere(["discover", a.page("/plain"), "--allow-private", "--json"]);
    const found = JSON.parse(none.stdout) as { via: string; reason: string };
    assert.equal(found.via, "none");
    assert.match(found.reason, /no <link/);
    const blocked = await runCliHere(["discover", a.page("/p1")]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stdout, /refused to connect to 127\.0\.0\.1 \(loopback address\)/);
  });

  it("discover and ping: Webmention first, where it was found, in words and JSON", async () => {
    const mentions: string[] = [];
    const wm = await startLoopback((req, res, body) => {
      if (req.url === "/webmention") {
        mentions.push(body);
        res.writeHead(201, { location: "/status/1" }).end();
        return;
      }
      res.writeHead(200, {
        "content-type": "text/html",
        link: '</webmention>; rel="webmention"',
        "x-pingback": `${a.url}/xmlrpc`,
      });
      res.end("<html><head><title>t</title></head><body>post</body></html>");
    });
    try {
      const json = await runCliHere(["discover", `${wm.url}/post`, "--allow-private", "--json"]);
      const found = JSON.parse(json.stdout) as {
        protocol: string;
        endpoint: string;
        foundIn: string;
      };
      assert.equal(found.protocol, "webmention");
      assert.equal(found.endpoint, `${wm.url}/webmention`);
      assert.equal(found.foundIn, "link-header");
      const plain = await runCliHere(["discover", `${wm.url}/post`, "--allow-private"]);
      assert.match(plain.stdout, /protocol {6}webmention/);
      assert.match(plain.stdout, /found in the HTTP Link header/);
      const pb = await runCliHere(["discover", a.page("/p1"), "--allow-private", "--json"]);
      const pingback = JSON.parse(pb.stdout) as { protocol: string; foundIn: string };
      assert.deepEqual([pingback.protocol, pingback.foundIn], ["pingback", "x-pingback"]);
      const none = await runCliHere(["discover", a.page("/plain"), "--allow-private", "--json"]);
      assert.equal((JSON.parse(none.stdout) as { protocol: null }).protocol, null);

      const received = totalReceived([a]);
      const ping = await runCliHere([
        "ping",
        "https://me.example/x/",
        `${wm.url}/post`,
        "--allow-private",
      ]);
      assert.equal(ping.code, 0);
      assert.match(ping.stdout, /webmention {4}https:\/\/me\.example\/x\/ ->/);
      assert.match(ping.stdout, /status URL {4}http:\/\/127\.0\.0\.1:\d+\/status\/1/);
      assert.equal(mentions.length, 1);
      assert.equal(totalReceived([a]), received, "no pingback to a target that has both");
    } finally {
      await wm.close();
    }
  });

  it("ping: sends one pingback and prints the answer", async () => {
    a.received.clear();
    const result = await runCliHere([
      "ping",
      "https://me.example/x/",
      a.page("/p7"),
      "--allow-private",
    ]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /result {8}sent/);
    assert.match(result.stdout, /answer {8}Thanks!/);
    assert.equal(a.received.get(`https://me.example/x/ ${a.page("/p7")}`), 1);
    a.answer = () => ({ fault: 48, message: "already" });
    const again = await runCliHere([
      "ping",
      "https://me.example/x/",
      a.page("/p7"),
      "--allow-private",
      "--json",
    ]);
    a.answer = () => ({ ok: "Thanks!" });
    const parsed = JSON.parse(again.stdout) as { status: string; faultCode: number };
    assert.equal(parsed.status, "already-registered");
    assert.equal(parsed.faultCode, 48);
  });
});
