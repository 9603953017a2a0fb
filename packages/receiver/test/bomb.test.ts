import assert from "node:assert/strict";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { ANSWERS } from "../src/ping/answers.ts";
import {
  html,
  LOOSE_LIMITS,
  page,
  ping,
  type SourceServer,
  startReceiver,
  startSourceServer,
  TARGET,
  type TestReceiver,
  tempDir,
} from "./helpers.ts";

/**
 * Small pages built to be expensive (issue 14, item 1): a few KB of gzip that
 * decode to hundreds of thousands of nested `<div>` or `<a>`. Each is refused
 * with a reason that says why, and /healthz answers while they are checked.
 * The event-loop delay is reported, not asserted (speed belongs to the bench);
 * the bound on work is asserted in check-source.test.ts.
 */

const tmp = tempDir();
let source: SourceServer;
let receiver: TestReceiver;
const head = "<!doctype html><html><head><title>bomb</title></head><body>";
const bombs = {
  div: gzipSync(`${head}${"<div>".repeat(800_000)}<a href="${TARGET}">x</a>`, { level: 9 }),
  a: gzipSync(`${head}${"<a>".repeat(370_000)}<a href="${TARGET}">x</a>`, { level: 9 }),
};

before(async () => {
  source = await startSourceServer();
  for (const [kind, body] of Object.entries(bombs)) {
    source.route(`/${kind}`, (_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
      res.end(body);
    });
  }
  source.route("/plain", page(html("<p>No link here.</p>")));
  receiver = await startReceiver(tmp.dir, {
    allowPrivateNetworks: true,
    // The most WordPress allows: a slow shared machine must not turn answers into "queued".
    answerDeadlineMs: 2999,
    ...LOOSE_LIMITS,
  });
});

after(async () => {
  await receiver.close();
  await source.close();
  tmp.remove();
});

test("gzip bombs of nested <div> and flat <a> are refused as too complex; /healthz answers meanwhile", async (t) => {
  assert.ok(bombs.div.length < 8 * 1024 && bombs.a.length < 8 * 1024);
  // Warm up (undici, the parser's first compile), which would count as a stall.
  await ping(receiver.endpoint, `${source.origin}/plain`, TARGET);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const pings = ["div", "a", "div", "a"].map((kind, i) =>
    ping(receiver.endpoint, `${source.origin}/${kind}?${i}`, TARGET),
  );
  const health = fetch(`${receiver.origin}/healthz`).then((r) => r.status);
  const answers = await Promise.all(pings);
  delay.disable();
  assert.equal(await health, 200);
  for (const answer of answers) {
    assert.equal(answer.kind, "fault");
    assert.ok(answer.kind === "fault" && answer.code === 17);
    assert.equal(
      answer.kind === "fault" && answer.message,
      ANSWERS.tooComplex.kind === "fault" && ANSWERS.tooComplex.message,
    );
  }
  assert.equal(source.requests.length, 5);
  t.diagnostic(
    `longest event-loop delay while checking 4 bombs: ${(delay.max / 1e6).toFixed(1)} ms`,
  );
});
