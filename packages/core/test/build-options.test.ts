import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import {
  BUILD_OPTION_NAMES,
  booleanOption,
  PingbackOptionsError,
  positiveIntegerOption,
  resolveBuildOptions,
} from "../src/index.ts";

describe("resolveBuildOptions", () => {
  it("defaults every build option and leaves the other keys alone", () => {
    assert.deepEqual(resolveBuildOptions({ site: "https://example.com/", render: 7 }, "pkg"), {
      previousManifest: undefined,
      publishManifest: true,
      workerThread: true,
      pageCache: true,
    });
  });

  it("takes a relative previousManifest from the root and keeps a URL as given", () => {
    const root = resolve("/srv/site");
    assert.equal(
      resolveBuildOptions({ previousManifest: "old/manifest.json" }, "pkg", root).previousManifest,
      resolve(root, "old/manifest.json"),
    );
    const url = "HTTPS://example.com/pingback-manifest.json";
    assert.equal(resolveBuildOptions({ previousManifest: url }, "pkg", root).previousManifest, url);
  });

  it("names the option and the package for a wrong value", () => {
    for (const [input, pattern] of [
      [{ previousManifest: "" }, /\[pkg\] option "previousManifest" must be a file path/],
      [{ previousManifest: 3 }, /option "previousManifest" must be .* got 3/],
      [{ publishManifest: "yes" }, /option "publishManifest" must be true or false, got "yes"/],
      [{ workerThread: 1 }, /option "workerThread" must be true or false/],
      [{ pageCache: null }, /option "pageCache" must be true or false, got null/],
    ] as const) {
      assert.throws(
        () => resolveBuildOptions(input, "pkg"),
        (error: unknown) => error instanceof PingbackOptionsError && pattern.test(error.message),
      );
    }
  });

  it("lists the names the adapters add to their known options", () => {
    assert.deepEqual(
      [...BUILD_OPTION_NAMES],
      ["previousManifest", "publishManifest", "workerThread", "pageCache"],
    );
  });
});

describe("booleanOption and positiveIntegerOption", () => {
  it("give the fallback when left out and refuse other kinds", () => {
    assert.equal(booleanOption(undefined, "x", "pkg", false), false);
    assert.equal(booleanOption(true, "x", "pkg", false), true);
    assert.throws(
      () => booleanOption("true", "x", "pkg", false),
      /option "x" must be true or false/,
    );
    assert.equal(positiveIntegerOption(undefined, "n", "pkg", 8), 8);
    assert.equal(positiveIntegerOption(3, "n", "pkg", 8), 3);
    for (const bad of [0, -1, 1.5, "4", Number.NaN]) {
      assert.throws(
        () => positiveIntegerOption(bad, "n", "pkg", 8),
        /option "n" must be a positive integer/,
      );
    }
  });
});
