import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { releaseBuffer } from "../src/files/release-buffer.ts";

describe("releaseBuffer", () => {
  it("frees a buffer that owns its memory at once, leaving every view of it empty", () => {
    const bytes = Buffer.alloc(64 * 1024 * 1024, 1);
    const view = bytes.subarray(10, 20);
    const before = process.memoryUsage().arrayBuffers;
    assert.equal(releaseBuffer(bytes), true);
    assert.equal(bytes.length, 0);
    assert.equal(view.length, 0);
    const freed = before - process.memoryUsage().arrayBuffers;
    assert.ok(freed >= 64 * 1024 * 1024, `${freed} bytes freed`);
  });

  it("leaves a view into a pooled or larger buffer, and an empty one, to the collector", () => {
    const pooled = Buffer.from("a small buffer shares Node's pool");
    assert.equal(releaseBuffer(pooled), false);
    assert.equal(pooled.toString(), "a small buffer shares Node's pool");
    const whole = Buffer.alloc(1024, 2);
    const part = whole.subarray(0, 512);
    assert.equal(releaseBuffer(part), false);
    assert.equal(whole.length, 1024);
    assert.equal(releaseBuffer(Buffer.alloc(0)), false);
  });
});
