import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { mapWithConcurrency } from "../src/concurrency.ts";

describe("mapWithConcurrency", () => {
  it("keeps input order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n, index) => {
      running++;
      most = Math.max(most, running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return `${index}:${n}`;
    });
    assert.deepEqual(results, ["0:5", "1:1", "2:4", "3:2", "4:3", "5:0", "6:6"]);
    assert.equal(most, 3);
  });

  it("rejects with the first failure", async () => {
    await assert.rejects(
      mapWithConcurrency([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error("two");
        return n;
      }),
      /two/,
    );
  });

  it("handles an empty list", async () => {
    assert.deepEqual(await mapWithConcurrency([], 4, async () => 1), []);
  });
});
