import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { describe, it } from "node:test";
import { BlockedAddressError, createGuardedLookup } from "../../src/net/index.ts";

function lookup(
  policy: Parameters<typeof createGuardedLookup>[0],
  hostname: string,
  all: boolean,
): Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) => {
    createGuardedLookup(policy)(hostname, { all }, (error, address, family) =>
      resolve({ error, address, ...(family === undefined ? {} : { family }) }),
    );
  });
}

describe("createGuardedLookup", () => {
  it("answers an array when Node asks with all: true (autoSelectFamily)", async () => {
    const result = await lookup(["127.0.0.1/32"], "127.0.0.1", true);
    assert.equal(result.error, null);
    assert.deepEqual(result.address, [{ address: "127.0.0.1", family: 4 }]);
  });

  it("answers address and family otherwise", async () => {
    const result = await lookup(["127.0.0.1/32"], "127.0.0.1", false);
    assert.equal(result.error, null);
    assert.equal(result.address, "127.0.0.1");
    assert.equal(result.family, 4);
  });

  it("refuses the host when any resolved address is refused", async () => {
    for (const all of [true, false]) {
      const result = await lookup(false, "localhost", all);
      assert.ok(result.error instanceof BlockedAddressError);
      assert.equal(result.error.range, "loopback");
    }
  });

  it("passes DNS errors through", async () => {
    const result = await lookup(false, "no-such-host.invalid", true);
    assert.ok(result.error);
    assert.ok(!(result.error instanceof BlockedAddressError));
  });
});
