import assert from "node:assert/strict";
import { test } from "node:test";
import { ConcurrencyGate } from "../src/limits/concurrency-gate.ts";
import { TokenBuckets } from "../src/limits/token-buckets.ts";

test("token buckets refill over time and stay bounded in size", () => {
  let now = 0;
  const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 1 }, 3, () => now);
  assert.equal(buckets.take("a").ok, true);
  assert.equal(buckets.take("a").ok, true);
  const refused = buckets.take("a");
  assert.deepEqual(refused, { ok: false, retryAfterSeconds: 1 });
  now += 1000;
  assert.equal(buckets.take("a").ok, true);
  for (let i = 0; i < 100; i++) buckets.take(`k${i}`);
  assert.equal(buckets.size, 3);
});

test("the gate runs at most N, queues at most Q, refuses the rest", async () => {
  const gate = new ConcurrencyGate(2, 1);
  const r1 = await gate.tryEnter();
  const r2 = await gate.tryEnter();
  const waiting = gate.tryEnter();
  assert.ok(waiting);
  assert.equal(gate.tryEnter(), undefined);
  assert.equal(gate.queued, 1);
  r1?.();
  r1?.(); // releasing twice must not free two slots
  const r3 = await waiting;
  assert.equal(gate.running, 2);
  const w2 = gate.tryEnter();
  assert.ok(w2);
  assert.equal(gate.tryEnter(), undefined);
  r2?.();
  (await w2)();
  r3();
  assert.equal(gate.running, 0);
});
