import assert from "node:assert/strict";
import { test } from "node:test";
import { failureEffect } from "../src/ping/mention-update.ts";

const DAY = 24 * 3600_000;
const now = Date.parse("2026-12-03T12:00:00Z");
const verified = { verification: "verified" as const, goneSince: null };

test("a verified mention: 410 and a page without the link delete it at once", () => {
  assert.deepEqual(failureEffect({ faultCode: 16, httpStatus: 410 }, verified, now, DAY), {
    kind: "delete",
    reason: "gone",
  });
  assert.deepEqual(failureEffect({ faultCode: 17, reason: "no-link" }, verified, now, DAY), {
    kind: "delete",
    reason: "link-removed",
  });
});

test("a 404 counts as gone only once it has persisted goneAfterMs", () => {
  const first = failureEffect({ faultCode: 16, httpStatus: 404 }, verified, now, DAY);
  assert.deepEqual(first, { kind: "not-found-since", since: new Date(now).toISOString() });
  const since = new Date(now - DAY + 1000).toISOString();
  assert.deepEqual(
    failureEffect({ faultCode: 16, httpStatus: 404 }, { ...verified, goneSince: since }, now, DAY),
    { kind: "not-found-since", since },
  );
  const old = new Date(now - DAY).toISOString();
  assert.deepEqual(
    failureEffect({ faultCode: 16, httpStatus: 404 }, { ...verified, goneSince: old }, now, DAY),
    { kind: "delete", reason: "not-found" },
  );
});

test("transient failures change nothing; a mention never verified just fails", () => {
  for (const failure of [
    { faultCode: 16 },
    { faultCode: 16, httpStatus: 503 },
    { faultCode: 17, reason: "too-complex" },
  ]) {
    assert.deepEqual(
      failureEffect(failure, verified, now, DAY),
      { kind: "keep" },
      JSON.stringify(failure),
    );
  }
  assert.deepEqual(failureEffect({ faultCode: 16, httpStatus: 410 }, null, now, DAY), {
    kind: "fail",
    reason: "http-410",
  });
  assert.deepEqual(
    failureEffect(
      { faultCode: 17, reason: "no-link" },
      { verification: "failed", goneSince: null },
      now,
      DAY,
    ),
    { kind: "fail", reason: "no-link" },
  );
});
