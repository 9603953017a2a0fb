import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editDistance, nearestName, rejectUnknownOptions } from "../src/options/known-options.ts";
import { PingbackOptionsError } from "../src/options/options-error.ts";
import { resolveOptions, SHARED_OPTION_NAMES } from "../src/options/resolve-options.ts";
import { resolveReceivedOptions } from "../src/received/options.ts";

describe("unknown options", () => {
  it("measures edits, counting a swap of neighbours as one", () => {
    assert.equal(editDistance("recieved", "received"), 1);
    assert.equal(editDistance("endpont", "endpoint"), 1);
    assert.equal(editDistance("site", "site"), 0);
    assert.equal(editDistance("", "url"), 3);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("ca", "abc"), 3, "optimal string alignment, not full Damerau");
  });

  it("suggests the nearest name only when it looks like a typo", () => {
    assert.equal(nearestName("recieved", ["site", "received", "render"]), "received");
    assert.equal(nearestName("contentselector", SHARED_OPTION_NAMES), "contentSelector");
    assert.equal(nearestName("contentSelectr", SHARED_OPTION_NAMES), "contentSelector");
    assert.equal(nearestName("sit", SHARED_OPTION_NAMES), "site");
    assert.equal(nearestName("colour", SHARED_OPTION_NAMES), undefined);
    assert.equal(nearestName("url", ["file", "duration"]), undefined);
  });

  it("lists every option of the place and names the parent of a nested one", () => {
    assert.throws(
      () => rejectUnknownOptions({ recieved: "x" }, ["site", "received"], "pkg"),
      (error: unknown) =>
        error instanceof PingbackOptionsError &&
        error.option === "recieved" &&
        error.code === "invalid-option" &&
        error.message ===
          '[pkg] option "recieved" is not a known option. Did you mean "received"? Known options: site, received' &&
        error.detail ===
          'option "recieved" is not a known option. Did you mean "received"? Known options: site, received',
    );
    assert.throws(
      () => resolveReceivedOptions({ url: "https://r.example/", duraton: "1h" }, "pkg"),
      {
        message:
          '[pkg] option "received.duraton" is not a known option. Did you mean "duration"? Known options of "received": file, url, webmentionIo, duration, cacheDir, offline, timeoutMs, maxBytes, avatars',
      },
    );
    assert.doesNotThrow(() => rejectUnknownOptions({ extra: undefined }, ["site"], "pkg"));
  });

  it("core's own options: every shared name, and no guess for a name far from all", () => {
    assert.throws(() => resolveOptions({ site: "https://e.com", colour: "red" }, "pkg"), {
      message: `[pkg] option "colour" is not a known option. Known options: ${SHARED_OPTION_NAMES.join(", ")}`,
    });
  });
});
