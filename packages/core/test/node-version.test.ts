import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  assertNodeVersion,
  meetsNodeFloor,
  NODE_FLOOR,
  NodeVersionError,
} from "../src/node-version.ts";

describe("Node version floor", () => {
  it("compares whole versions, not only the major", () => {
    assert.equal(NODE_FLOOR, "22.19.0");
    for (const version of ["22.19.0", "v22.19.0", "22.19.1", "22.20.0", "23.0.0", "24.21.0"]) {
      assert.equal(meetsNodeFloor(version), true, version);
    }
    for (const version of ["22.18.9", "v22.13.0", "22.12.0", "22.0.0", "20.20.2", "18.19.1"]) {
      assert.equal(meetsNodeFloor(version), false, version);
    }
    assert.equal(meetsNodeFloor("22.19.0-pre"), true, "a pre-release tag is ignored");
    assert.equal(meetsNodeFloor("10.0.0", "9.12.0"), true, "numeric, not string, comparison");
  });

  it("says which Node is needed and which was found, naming the package", () => {
    assert.doesNotThrow(() => assertNodeVersion("pkg", "22.19.0"));
    assert.throws(
      () => assertNodeVersion("@static-pingback/eleventy", "22.13.0"),
      (error: unknown) =>
        error instanceof NodeVersionError &&
        error.code === "node-too-old" &&
        error.found === "22.13.0" &&
        error.required === NODE_FLOOR &&
        error.message.startsWith(
          "[@static-pingback/eleventy] needs Node.js 22.19.0 or newer, found 22.13.0.",
        ),
    );
    assert.doesNotThrow(() => assertNodeVersion("pkg"), "the Node running the tests is new enough");
  });
});
