import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import {
  BUILD_OPTION_NAMES,
  booleanOption,
  PingbackOptionsError,
  positiveIntegerOption,
  resolveAdapterOptions,
  resolveBuildOptions,
  SHARED_OPTION_NAMES,
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

describe("resolveAdapterOptions", () => {
  const setup = { packageName: "pkg", own: ["render"] };

  it("splits the shared options from the adapter's own and resolves the build ones", () => {
    const root = resolve("/srv/site");
    const split = resolveAdapterOptions(
      {
        site: "https://example.com",
        endpoint: false,
        previousManifest: "old.json",
        render: { heading: "Links" },
      },
      { ...setup, root },
    );
    assert.deepEqual(split.shared, { site: "https://example.com", endpoint: false });
    assert.equal(split.core.site.href, "https://example.com/");
    assert.equal(split.core.endpoint, null);
    assert.equal(split.core.stateDir, resolve(root, ".pingback"));
    assert.equal(split.build.previousManifest, resolve(root, "old.json"));
    assert.equal(split.build.pageCache, true);
    assert.deepEqual(split.given.render, { heading: "Links" });
  });

  it("names an unknown option, the nearest known name and every option of the adapter", () => {
    assert.throws(
      () => resolveAdapterOptions({ site: "https://example.com", rendr: {} }, setup),
      (error: Error) =>
        error instanceof PingbackOptionsError &&
        /option "rendr" is not a known option\. Did you mean "render"\?/.test(error.message) &&
        error.message.includes(
          [...SHARED_OPTION_NAMES, ...BUILD_OPTION_NAMES, "received", "render"].join(", "),
        ),
    );
  });

  it("wants an object, and takes none at all only where the adapter allows it", () => {
    assert.throws(
      () => resolveAdapterOptions(undefined, setup),
      /\(options\)" must be an object such as \{ site: "https:\/\/example\.com" \}, got undefined/,
    );
    assert.throws(() => resolveAdapterOptions([], setup), /must be an object .*, got an array/);
    assert.throws(
      () => resolveAdapterOptions("https://example.com", { ...setup, optional: true }),
      /or left out, got "https:\/\/example\.com"/,
    );
    assert.deepEqual(resolveAdapterOptions(undefined, { ...setup, optional: true }).shared, {});
  });

  it("keeps stateDir as given without a root (relative to the working directory)", () => {
    const options = resolveAdapterOptions({ site: "https://example.com" }, setup);
    assert.equal(options.core.stateDir, ".pingback");
  });

  it("requires the site, unless the adapter is optional: then it checks the rest and resolves none", () => {
    assert.throws(() => resolveAdapterOptions({}, setup), /option "site" is required/);
    const optional = { ...setup, optional: true };
    assert.equal(resolveAdapterOptions({}, optional).core, undefined);
    assert.equal(resolveAdapterOptions({ site: "" }, optional).core, undefined);
    assert.throws(() => resolveAdapterOptions({ endpoint: "nope" }, optional), /option "endpoint"/);
  });

  it("fills in the framework's defaults only for options the user left out", () => {
    const defaults = { site: "https://framework.example/base/", contentSelector: ["#doc"] };
    const filled = resolveAdapterOptions({}, { ...setup, defaults });
    assert.equal(filled.core.site.href, "https://framework.example/base/");
    assert.deepEqual(filled.core.contentSelector, ["#doc"]);
    assert.deepEqual(filled.shared, defaults);
    const own = resolveAdapterOptions(
      { site: "https://own.example/", contentSelector: "main" },
      { ...setup, defaults },
    );
    assert.equal(own.core.site.href, "https://own.example/");
    assert.deepEqual(own.core.contentSelector, ["main"]);
    assert.equal(
      resolveAdapterOptions({ site: "" }, { ...setup, defaults }).core.site.host,
      "framework.example",
    );
  });

  it("resolves `received` for every adapter, with the site as webmention.io's domain", () => {
    assert.equal(resolveAdapterOptions({ site: "https://example.com" }, setup).received, undefined);
    const received = resolveAdapterOptions(
      { site: "https://blog.example/", received: "webmention.io" },
      setup,
    ).received;
    assert.equal(received?.kind === "webmention.io" && received.domain, "blog.example");
    assert.throws(
      () => resolveAdapterOptions({ site: "https://blog.example/", received: 3 }, setup),
      (error: Error) => error instanceof PingbackOptionsError && error.option === "received",
    );
  });
});
