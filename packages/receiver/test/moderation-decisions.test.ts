import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { moderate } from "../src/moderation.ts";
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

/** A person's decision (approve, reject, spam) is never overwritten by the machine. */

const tmp = tempDir();
let source: SourceServer;
let rx: TestReceiver;

before(async () => {
  source = await startSourceServer();
  rx = await startReceiver(tmp.dir, {
    allowPrivateNetworks: ["127.0.0.1/32"],
    // The source server is trusted: without a person, its pings are approved.
    trusted: ["127.0.0.1"],
    answerDeadlineMs: 300,
    ...LOOSE_LIMITS,
  });
});
after(async () => {
  await rx.close();
  await source.close();
  tmp.remove();
});

const LINKING = html(`<a href="${TARGET}">held</a>`, "Held");

/** A route that answers with `body` only after `release()`. */
function heldPage(path: string, body = LINKING): { release: () => void } {
  let release = (): void => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  source.route(path, (req, res) => {
    void held.then(() => page(body)(req, res));
  });
  return { release };
}

test("spam marked while the source is being verified stays spam (and is not exported)", async () => {
  const url = `${source.origin}/held`;
  const held = heldPage("/held");
  const answer = await ping(rx.endpoint, url, TARGET);
  assert.match(String(answer.kind === "success" && answer.value), /being verified/);
  const row = rx.store.find(url, TARGET);
  assert.equal(row?.verification, "queued");
  await moderate(rx.store, "spam", [row?.id ?? 0]);
  held.release();
  await rx.receiver.idle();
  const after = rx.store.find(url, TARGET);
  assert.equal(after?.verification, "verified");
  assert.equal(after?.post.title, "Held");
  assert.equal(after?.status, "spam");
  const feed = (await (await fetch(`${rx.origin}/pingbacks.jf2`)).json()) as {
    children: Array<{ "wm-source": string }>;
  };
  assert.equal(
    feed.children.some((entry) => entry["wm-source"] === url),
    false,
  );
});

test("a re-ping of a failed row marked spam keeps the row and its mark, without a fetch", async () => {
  const url = `${source.origin}/gone`;
  // The page links nowhere: the background verification fails.
  const held = heldPage("/gone", html("<p>nothing</p>"));
  await ping(rx.endpoint, url, TARGET);
  held.release();
  await rx.receiver.idle();
  const failed = rx.store.find(url, TARGET);
  assert.equal(failed?.verification, "failed");
  await moderate(rx.store, "spam", [failed?.id ?? 0]);
  const fetches = source.requests.length;

  const again = await ping(rx.endpoint, url, TARGET);
  assert.equal(again.kind === "fault" && again.code, 48);
  const kept = rx.store.find(url, TARGET);
  assert.equal(kept?.id, failed?.id);
  assert.equal(kept?.status, "spam");
  assert.equal(source.requests.length, fetches);
});

test("a re-ping of a failed row a person set to pending is verified again and stays pending", async () => {
  const url = `${source.origin}/fixed`;
  source.route("/fixed", page(html("<p>no link yet</p>")));
  const first = await ping(rx.endpoint, url, TARGET);
  assert.equal(first.kind === "fault" && first.code, 17);
  // A 17 answered in time stores nothing; make a failed row the way a slow source does.
  const held = heldPage("/fixed", html("<p>still no link</p>"));
  await ping(rx.endpoint, url, TARGET);
  held.release();
  await rx.receiver.idle();
  const failed = rx.store.find(url, TARGET);
  assert.equal(failed?.verification, "failed");
  await moderate(rx.store, "pending", [failed?.id ?? 0]);

  source.route("/fixed", page(html(`<a href="${TARGET}">now linked</a>`, "Fixed")));
  const again = await ping(rx.endpoint, url, TARGET);
  assert.equal(again.kind, "success");
  await rx.receiver.idle();
  const row = rx.store.find(url, TARGET);
  assert.equal(row?.verification, "verified");
  // Trusted host, but a person chose pending: the machine does not approve it.
  assert.equal(row?.status, "pending");
  assert.ok(row?.moderatedAt);
});
