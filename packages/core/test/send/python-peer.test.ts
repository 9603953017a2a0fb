import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createHttpClient } from "../../src/net/index.ts";
import { readState, type StateFile, sendPing, sendPingbacks } from "../../src/send/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";
import { writeSiteFiles } from "./peers.ts";
import { type PythonPeer, startPythonPeer } from "./python-peer.ts";

describe("python3 xmlrpc.server as an independent pingback endpoint", () => {
  let python: PythonPeer;
  let site: Loopback;
  before(async () => {
    python = await startPythonPeer();
    // Target pages advertise the Python endpoint, one by header and one by link element.
    site = await startLoopback((req, res) => {
      res.writeHead(200, {
        "content-type": "text/html",
        ...(req.url?.startsWith("/by-header") ? { "x-pingback": python.url } : {}),
      });
      res.end(
        `<html><head><link rel="pingback" href="${python.url}"></head><body>post</body></html>`,
      );
    });
  });
  after(async () => {
    python.process.kill();
    await site.close();
  });

  it("receives exactly the calls expected, and its answers are classified", async () => {
    const links = {
      "https://me.example/a/": [`${site.url}/by-header/1`, `${site.url}/by-link/2?x=1&y=<3>`],
      "https://me.example/b/": [`${site.url}/by-link/no-link`],
    };
    const dir = await writeSiteFiles(links, { previous: null });
    const report = await sendPingbacks({
      dir,
      all: true,
      allowPrivateNetworks: ["127.0.0.1/32"],
      hostIntervalMs: 0,
    });
    assert.equal(report.counts.sent, 2);
    assert.equal(report.counts.rejected, 1);

    const received = python.calls.map(({ source, target }) => `${source} ${target}`).sort();
    assert.deepEqual(received, [
      `https://me.example/a/ ${site.url}/by-header/1`,
      `https://me.example/a/ ${site.url}/by-link/2?x=1&y=<3>`,
      `https://me.example/b/ ${site.url}/by-link/no-link`,
    ]);
    for (const call of python.calls) assert.match(call.ua, /^static-pingback\/\d+\.\d+\.\d+ \(/);

    const state = (await readState(dir)) as StateFile;
    const rejected = state.pairs.find((pair) => pair.status === "rejected");
    assert.equal(rejected?.faultCode, 17);
    assert.match(rejected?.message ?? "", /does not contain a link/);
    const sent = state.pairs.find((pair) => pair.status === "sent");
    assert.match(sent?.message ?? "", /registered/);
    assert.equal(sent?.endpoint, python.url);

    // A rerun sends nothing more.
    await sendPingbacks({
      dir,
      all: true,
      allowPrivateNetworks: ["127.0.0.1/32"],
      hostIntervalMs: 0,
    });
    assert.equal(python.calls.length, 3);
  });

  it("reads Python's fault 48 for a repeated ping", async () => {
    const client = createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"] });
    const first = await sendPing(client, python.url, "https://me.example/c/", `${site.url}/x`);
    const second = await sendPing(client, python.url, "https://me.example/c/", `${site.url}/x`);
    await client.close();
    assert.equal(first.status, "sent");
    assert.equal(second.status, "already-registered");
    assert.equal(second.faultCode, 48);
  });
});
