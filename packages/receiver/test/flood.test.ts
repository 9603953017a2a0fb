import assert from "node:assert/strict";
import { after, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { encodePingbackPing } from "@static-pingback/core/xmlrpc";
import { startReceiver, TARGET, tempDir } from "./helpers.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const tmp = tempDir();
after(() => tmp.remove());

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test("memory stays bounded under a 10,000-request flood, and nothing is stored", async () => {
  const rx = await startReceiver(
    tmp.dir,
    {
      allowPrivateNetworks: false,
      connectTimeoutMs: 50,
      // No refill: how many 16s come before the 49s must not depend on how fast the machine is.
      perClient: { capacity: 10, refillPerSecond: 0 },
    },
    "flood",
  );
  try {
    const bodies = [
      (i: number) => `<methodCall><methodName>pingback.ping</methodName>${"<x>".repeat(i % 7)}`,
      (i: number) =>
        encodePingbackPing(`https://blog${i}.example/p`, `https://site.example/nope/${i}`),
      (i: number) => encodePingbackPing(`http://10.0.${(i >> 8) & 255}.${i & 255}/p${i}`, TARGET),
      (i: number) =>
        encodePingbackPing(`https://blog.example/${i}`, `https://elsewhere.example/${i}`),
    ];
    const total = 10_000;
    const concurrency = 50;
    let next = 0;
    const counts = new Map<string, number>();
    const warm = heapAfterGc();
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const body = (bodies[i % bodies.length] as (i: number) => string)(i);
        const response = await fetch(rx.endpoint, { method: "POST", body });
        const text = await response.text();
        const code = /<int>(-?\d+)<\/int>/.exec(text)?.[1] ?? "success";
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await rx.receiver.idle();
    const grown = heapAfterGc() - warm;
    assert.equal(
      [...counts.values()].reduce((a, b) => a + b, 0),
      total,
    );
    assert.equal(counts.get("-32700"), total / 4);
    assert.equal(counts.get("32"), total / 4);
    assert.equal(counts.get("33"), total / 4);
    // Private sources: a few 16s until the client's bucket is empty, then 49s.
    assert.equal((counts.get("16") ?? 0) + (counts.get("49") ?? 0), total / 4);
    assert.ok((counts.get("49") ?? 0) > total / 4 - 20);
    assert.equal(rx.store.count(), 0);
    assert.deepEqual(rx.receiver.stats(), {
      verifying: 0,
      waiting: 0,
      inflightPairs: 0,
      background: 0,
    });
    assert.ok(grown < 24 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MB`);
  } finally {
    await rx.close();
  }
});
