import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveReceiverOptions } from "../src/options.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import { html, page, ping, startReceiver, startSourceServer, TARGET, tempDir } from "./helpers.ts";

/** Sources are fetched only on allowed ports: 80, 443 and 8080 by default, and on every hop. */

test("by default only ports 80, 443 and 8080 are fetched; others get 16 with no fetch", async () => {
  const tmp = tempDir();
  const fetched: string[] = [];
  const rx = await startReceiver(tmp.dir, {
    fetchSource: async (url) => {
      fetched.push(url);
      return { ok: false, faultCode: 16 };
    },
  });
  try {
    for (const url of [
      "http://blog.example:25/p",
      "https://blog.example:6379/p",
      "http://blog.example:22/p",
    ]) {
      const answer = await ping(rx.endpoint, url, TARGET);
      assert.equal(answer.kind === "fault" && answer.code, 16, url);
    }
    assert.deepEqual(fetched, []);
    for (const url of [
      "http://blog.example/p",
      "https://blog.example/p",
      "http://blog.example:8080/p",
    ]) {
      await ping(rx.endpoint, url, TARGET);
    }
    assert.equal(fetched.length, 3);
  } finally {
    await rx.close();
    tmp.remove();
  }
});

test("a redirect to a port that is not allowed is refused before it is requested", async () => {
  const tmp = tempDir();
  const start = await startSourceServer();
  const elsewhere = await startSourceServer();
  elsewhere.route("/post", page(html(`<a href="${TARGET}">x</a>`)));
  start.route("/jump", (_req, res) => {
    res.writeHead(302, { location: `${elsewhere.origin}/post` }).end();
  });
  const rx = await startReceiver(tmp.dir, {
    allowPrivateNetworks: ["127.0.0.1/32"],
    allowedPorts: [start.port],
  });
  try {
    const answer = await ping(rx.endpoint, `${start.origin}/jump`, TARGET);
    assert.equal(answer.kind === "fault" && answer.code, 16);
    assert.equal(start.requests.length, 1);
    assert.equal(elsewhere.connections, 0);
  } finally {
    await rx.close();
    await start.close();
    await elsewhere.close();
    tmp.remove();
  }
});

test("allowedPorts: validated; any port by default only where private networks are allowed", () => {
  const store = new SqlitePingbackStore(":memory:");
  const base = { site: "https://s.example/", manifest: "m.json", store };
  assert.deepEqual(
    [...(resolveReceiverOptions(base).allowedPorts as Set<number>)],
    [80, 443, 8080],
  );
  assert.equal(resolveReceiverOptions({ ...base, allowPrivateNetworks: true }).allowedPorts, "any");
  assert.throws(() => resolveReceiverOptions({ ...base, allowedPorts: [0] }), /ports 1-65535/);
  assert.throws(() => resolveReceiverOptions({ ...base, allowedPorts: [] }), /non-empty list/);
  store.close();
});
