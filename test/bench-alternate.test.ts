import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alternate, pairedRatio } from "../bench/support/alternate.ts";

describe("the benchmarks' alternation", () => {
  it("flips the order of the modes every run, and keeps each mode's timings in run order", async () => {
    const order: string[] = [];
    let clock = 0;
    const timings = await alternate(
      ["off", "on", "cold"] as const,
      3,
      async (mode) => {
        order.push(mode);
        return ++clock;
      },
      (mode, timing) => `${mode} ${timing}`,
    );
    assert.deepEqual(order, ["off", "on", "cold", "cold", "on", "off", "off", "on", "cold"]);
    assert.deepEqual(timings.get("off"), [1, 6, 7]);
    assert.deepEqual(timings.get("cold"), [3, 4, 9]);
  });

  it("takes the median of the per-run ratios", () => {
    // A slow stretch (run 2) moves both sides; the ratio of medians would say 1.25.
    assert.equal(pairedRatio([100, 200, 100], [102, 204, 125]), 1.02);
    assert.equal(pairedRatio([100, 100], [101, 103]), 1.02);
  });
});
