import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PingbackFileError, PingbackOptionsError, StaticPingbackError } from "../src/index.ts";
import { BlockedAddressError, NetError, TimeoutError } from "../src/net/errors.ts";
import { HttpStatusError, InvalidJsonError } from "../src/net/fetch-own-json.ts";
import { NodeVersionError } from "../src/node-version.ts";
import { PageWorkerFailed } from "../src/offload/page-offload.ts";
import { InvalidSendOptionError } from "../src/send/invalid-send-option.ts";
import { SchedulerStoppedError } from "../src/send/scheduler.ts";
import { NothingToSendError, resolveEngineOptions } from "../src/send/send.ts";
import { InvalidStateEntryError } from "../src/send/state-entry-check.ts";
import { StateLockedError } from "../src/send/state-lock.ts";
import { XmlRpcParseError } from "../src/xmlrpc/errors.ts";

describe("errors: one base class, a stable code on each", () => {
  const errors: Array<[StaticPingbackError, string]> = [
    [new PingbackFileError("f.json", "/a", "a string"), "invalid-file"],
    [new PingbackOptionsError("pkg", "site", "is required"), "invalid-option"],
    [new NetError("network", "https://a.example/", "down"), "network"],
    [new BlockedAddressError("http://10.0.0.1/", "10.0.0.1", "private"), "blocked-address"],
    [new TimeoutError("https://a.example/", 5), "timeout"],
    [new HttpStatusError(500), "ERR_HTTP_STATUS"],
    [new InvalidJsonError("bad"), "ERR_INVALID_JSON"],
    [new NodeVersionError("pkg", "20.0.0"), "node-too-old"],
    [new PageWorkerFailed(new Error("gone")), "page-worker-failed"],
    [new SchedulerStoppedError(), "scheduler-stopped"],
    [new InvalidSendOptionError("concurrency must be a positive integer"), "invalid-send-option"],
    [new NothingToSendError("/tmp/x"), "nothing-to-send"],
    [
      new InvalidStateEntryError("https://a.example/", "https://b.example/", "no status"),
      "invalid-state-entry",
    ],
    [new StateLockedError("/tmp/x.lock", "pid 1"), "state-locked"],
    [new XmlRpcParseError("empty", "bad XML"), "xmlrpc-parse"],
  ];
  for (const [error, code] of errors) {
    it(`${error.constructor.name}: ${code}`, () => {
      assert.ok(error instanceof StaticPingbackError);
      assert.ok(error instanceof Error);
      assert.equal(error.code, code);
      assert.notEqual(error.message, "");
    });
  }

  it("a send option out of range is an InvalidSendOptionError, not a bare RangeError", () => {
    assert.throws(
      () => resolveEngineOptions({ concurrency: 0 }),
      (error: unknown) => {
        assert.ok(error instanceof StaticPingbackError);
        assert.equal((error as StaticPingbackError).code, "invalid-send-option");
        return true;
      },
    );
  });
});
