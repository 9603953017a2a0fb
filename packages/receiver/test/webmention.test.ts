import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Jf2Feed } from "../src/export/jf2.ts";
import {
  DISABLED,
  html,
  LOOSE_LIMITS,
  page,
  ping,
  SITE,
  type SourceServer,
  startReceiver,
  startSourceServer,
  TARGET,
  type TestReceiver,
  tempDir,
} from "./helpers.ts";

const tmp = tempDir();
let source: SourceServer;
let rx: TestReceiver;
const GONE_AFTER_MS = 400;

before(async () => {
  source = await startSourceServer();
  rx = await startReceiver(tmp.dir, {
    allowPrivateNetworks: true,
    goneAfterMs: GONE_AFTER_MS,
    ...LOOSE_LIMITS,
  });
});
after(async () => {
  await rx.close();
  await source.close();
  tmp.remove();
});

/** What a Webmention sender does: a form POST of source and target. */
async function send(sourceUrl: string, target: string, endpoint = `${rx.origin}/webmention`) {
  const response = await fetch(endpoint, {
    method: "POST",
    body: new URLSearchParams({ source: sourceUrl, target }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function statusOf(location: string) {
  const response = await fetch(new URL(location, `${rx.origin}/webmention`));
  assert.equal(response.status, 200);
  return (await response.json()) as { status: string; reason: string | null; moderation: string };
}

async function exported(): Promise<Jf2Feed["children"]> {
  const response = await fetch(`${rx.origin}/pingbacks.jf2`);
  return ((await response.json()) as Jf2Feed).children;
}

function reply(body = `<a class="u-in-reply-to" href="${TARGET}">in reply to</a>`) {
  return html(
    `<article class="h-entry"><div class="p-author h-card"><a class="p-name u-url" href="https://ann.example/">Ann &lt;b&gt;</a></div>
     ${body}<time class="dt-published" datetime="2026-11-27T10:00:00Z">Nov 27</time>
     <div class="e-content"><p>Quite right, and here is why.</p></div></article>`,
  );
}

test("requests refused at once get 400 with a short plain-text reason", async () => {
  const cases: Array<[string, string, RegExp]> = [
    ["ftp://blog.example/x", TARGET, /source must be an absolute http\(s\) URL/],
    [`${source.origin}/a`, "mailto:me@site.example", /target must be/],
    [TARGET, `${TARGET}#frag`, /same URL/],
    [`${source.origin}/a`, `${SITE}no-such-page/`, /not a page of this site/],
    [`${source.origin}/a`, DISABLED, /not a page of this site/],
    [`${source.origin}/a`, "https://elsewhere.example/", /not a page of this site/],
  ];
  for (const [s, t, reason] of cases) {
    const answer = await send(s, t);
    assert.equal(answer.status, 400, `${s} -> ${t}`);
    assert.match(answer.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(answer.text, reason);
    assert.ok(answer.text.length < 200);
  }
  const missing = await fetch(`${rx.origin}/webmention`, {
    method: "POST",
    body: new URLSearchParams({ source: `${source.origin}/a` }),
  });
  assert.equal(missing.status, 400);
  const json = await fetch(`${rx.origin}/webmention`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source: `${source.origin}/a`, target: TARGET }),
  });
  assert.equal(json.status, 400);
  assert.match(await json.text(), /x-www-form-urlencoded/);
  assert.equal((await fetch(`${rx.origin}/webmention`)).status, 405);
  assert.equal((await fetch(`${rx.origin}/webmention/status/nope-nope-nope-nope`)).status, 404);
});

test("a reply: 202 + status URL, verified, approved, exported with the h-card; the link removed: it leaves the export", async () => {
  let body = reply();
  source.route("/reply", (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(body);
  });
  // The fragment of the target is ignored.
  const first = await send(`${source.origin}/reply`, `${TARGET}#comments`);
  assert.equal(first.status, 202);
  const location = first.headers.get("location") ?? "";
  assert.match(location, /^\/webmention\/status\/[\w-]{16,}$/);
  await rx.receiver.idle();
  const verified = await statusOf(location);
  assert.deepEqual(
    [verified.status, verified.reason, verified.moderation],
    ["accepted", null, "pending"],
  );
  // Not shown before a person approves it.
  assert.equal((await exported()).length, 0);
  const row = rx.store.find(`${source.origin}/reply`, TARGET);
  assert.ok(row);
  assert.equal(row.protocol, "webmention");
  rx.store.setStatus([row.id], "approved");
  const [entry] = await exported();
  assert.equal(entry?.["wm-protocol"], "webmention");
  assert.equal(entry?.["wm-property"], "in-reply-to");
  assert.equal(entry?.["in-reply-to"], TARGET);
  assert.equal(entry?.["wm-source"], `${source.origin}/reply`);
  assert.equal(entry?.["wm-target"], TARGET);
  assert.equal(entry?.["wm-id"], row.id);
  assert.equal(entry?.author.name, "Ann <b>");
  assert.equal(entry?.author.url, "https://ann.example/");
  assert.equal(entry?.published, "2026-11-27T10:00:00.000Z");
  assert.equal(entry?.content?.text, "Quite right, and here is why.");
  assert.equal(entry?.url, `${source.origin}/reply`);

  // The sender edits the post, drops the link and re-sends: an update, not a duplicate.
  body = reply("<p>No link any more.</p>");
  const again = await send(`${source.origin}/reply`, TARGET);
  assert.equal(again.status, 202);
  assert.equal(again.headers.get("location"), location);
  await rx.receiver.idle();
  const removed = await statusOf(location);
  assert.deepEqual([removed.status, removed.reason], ["deleted", "link-removed"]);
  assert.equal((await exported()).length, 0);
  // Kept in the database, with the person's decision.
  const kept = rx.store.find(`${source.origin}/reply`, TARGET);
  assert.equal(kept?.verification, "deleted");
  assert.equal(kept?.status, "approved");

  // The link comes back: the mention is back.
  body = reply();
  assert.equal((await send(`${source.origin}/reply`, TARGET)).status, 202);
  await rx.receiver.idle();
  assert.equal((await statusOf(location)).status, "accepted");
  assert.equal((await exported()).length, 1);
  rx.store.remove([row.id]);
});

test("a second source answering 410 on re-send leaves the export; a 404 only once it persists", async () => {
  let gone = false;
  let missing = false;
  const target2 = `${SITE}posts/second/`;
  const like = html(
    `<div class="h-entry"><span class="p-author h-card">Bo</span><a class="u-like-of" href="${target2}">liked</a></div>`,
  );
  source.route("/like", (_req, res) => {
    res.writeHead(gone ? 410 : 200, { "content-type": "text/html" });
    res.end(gone ? "<p>deleted</p>" : like);
  });
  source.route("/repost", (_req, res) => {
    res.writeHead(missing ? 404 : 200, { "content-type": "text/html" });
    res.end(missing ? "<p>not found</p>" : like.replace("u-like-of", "u-repost-of"));
  });
  const liked = await send(`${source.origin}/like`, target2);
  const reposted = await send(`${source.origin}/repost`, target2);
  assert.equal(liked.status, 202);
  assert.equal(reposted.status, 202);
  await rx.receiver.idle();
  const ids = [`${source.origin}/like`, `${source.origin}/repost`].map(
    (s) => rx.store.find(s, target2)?.id as number,
  );
  rx.store.setStatus(ids, "approved");
  const kinds = (await exported()).map((e) => e["wm-property"]).sort();
  assert.deepEqual(kinds, ["like-of", "repost-of"]);

  gone = true;
  missing = true;
  await send(`${source.origin}/like`, target2);
  await send(`${source.origin}/repost`, target2);
  await rx.receiver.idle();
  const likeStatus = await statusOf(liked.headers.get("location") ?? "");
  assert.deepEqual([likeStatus.status, likeStatus.reason], ["deleted", "gone"]);
  // The first 404 may be a mistake being fixed: still shown.
  assert.deepEqual(
    (await exported()).map((e) => e["wm-property"]),
    ["repost-of"],
  );
  await sleep(GONE_AFTER_MS + 50);
  await send(`${source.origin}/repost`, target2);
  await rx.receiver.idle();
  const repostStatus = await statusOf(reposted.headers.get("location") ?? "");
  assert.deepEqual([repostStatus.status, repostStatus.reason], ["deleted", "not-found"]);
  assert.equal((await exported()).length, 0);
  rx.store.remove(ids);
});

test("Pingback on the same receiver still works, with fault 48 for a duplicate", async () => {
  source.route(
    "/pinged",
    page(html(`<div class="h-entry"><p class="p-name">Cited</p><a href="${TARGET}">x</a></div>`)),
  );
  const first = await ping(`${rx.origin}/xmlrpc`, `${source.origin}/pinged`, TARGET);
  assert.equal(first.kind, "success");
  const second = await ping(`${rx.origin}/xmlrpc`, `${source.origin}/pinged`, TARGET);
  assert.equal(second.kind === "fault" && second.code, 48);
  const row = rx.store.find(`${source.origin}/pinged`, TARGET);
  assert.equal(row?.protocol, "pingback");
  assert.equal(row?.post.property, "mention-of");
  rx.store.setStatus([row?.id as number], "approved");
  const [entry] = await exported();
  assert.equal(entry?.["wm-protocol"], "pingback");
  assert.equal(entry?.["mention-of"], TARGET);
  assert.equal(entry?.name, "Cited");
  rx.store.remove([row?.id as number]);
});

test("a limit answers 429 with Retry-After", async () => {
  const dir = tempDir();
  const tight = await startReceiver(dir.dir, {
    allowPrivateNetworks: true,
    perClient: { capacity: 1, refillPerSecond: 0.01 },
  });
  try {
    source.route("/t", page(html(`<a href="${TARGET}">t</a>`)));
    const endpoint = `${tight.origin}/webmention`;
    assert.equal((await send(`${source.origin}/t`, TARGET, endpoint)).status, 202);
    const limited = await send(`${source.origin}/t2`, TARGET, endpoint);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    await tight.receiver.idle();
  } finally {
    await tight.close();
    dir.remove();
  }
});
