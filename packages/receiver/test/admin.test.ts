import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseXmlDocument, type XmlElement } from "@static-pingback/core/xmlrpc";
import { startReceiver, TARGET, type TestReceiver, tempDir } from "./helpers.ts";

const TOKEN = "correct horse battery staple 42";
const HOSTILE_TITLE = `<script>alert("owned")</script> & "quotes"`;

interface Browser {
  cookie: string | undefined;
}

/** What a browser on the admin's origin sends: its Origin, its cookie. */
function post(
  receiver: TestReceiver,
  path: string,
  form: Record<string, string | string[]>,
  browser: Browser,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const each of Array.isArray(value) ? value : [value]) body.append(key, each);
  }
  return fetch(`${receiver.origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: receiver.origin,
      ...(browser.cookie ? { cookie: browser.cookie } : {}),
      ...headers,
    },
    body,
  });
}

async function signIn(receiver: TestReceiver): Promise<{ browser: Browser; csrf: string }> {
  const browser: Browser = { cookie: undefined };
  const answer = await post(receiver, "/admin/sign-in", { token: TOKEN }, browser);
  assert.equal(answer.status, 303);
  browser.cookie = answer.headers.get("set-cookie")?.split(";")[0];
  const page = await (await get(receiver, "/admin/", browser)).text();
  const csrf = page.match(/name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(csrf, "the page carries a CSRF token");
  return { browser, csrf };
}

function get(receiver: TestReceiver, path: string, browser: Browser): Promise<Response> {
  return fetch(`${receiver.origin}${path}`, {
    redirect: "manual",
    headers: browser.cookie ? { cookie: browser.cookie } : {},
  });
}

describe("the moderation page over HTTP", () => {
  const temp = tempDir();
  let receiver: TestReceiver;
  let plain: TestReceiver;
  let id: number;
  before(async () => {
    receiver = await startReceiver(temp.dir, { admin: { token: TOKEN } });
    plain = await startReceiver(temp.dir, {}, "plain");
    ({ id } = await receiver.store.insert({
      source: "https://evil.example/post",
      target: TARGET,
      status: "pending",
      verification: "verified",
      clientIp: "127.0.0.1",
      post: {
        title: HOSTILE_TITLE,
        authorName: "<b>Mallory</b>",
        authorUrl: "javascript:alert(1)",
        published: null,
        lang: null,
        excerpt: "<img src=x onerror=alert(1)>",
      },
    }));
  });
  after(async () => {
    await receiver.close();
    await plain.close();
    temp.remove();
  });

  it("is not there without a token: 404", async () => {
    assert.equal((await fetch(`${plain.origin}/admin/`)).status, 404);
    assert.equal((await fetch(`${plain.origin}/admin`)).status, 404);
  });

  it("asks to sign in, with strict security headers on every answer", async () => {
    const answer = await get(receiver, "/admin/", { cookie: undefined });
    assert.equal(answer.status, 200);
    assert.match(await answer.text(), /name="token"/);
    const csp = answer.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(answer.headers.get("x-frame-options"), "DENY");
    assert.equal(answer.headers.get("referrer-policy"), "no-referrer");
    assert.equal(answer.headers.get("cache-control"), "no-store");
  });

  it("refuses a wrong token, and a sign-in posted from another origin", async () => {
    const wrong = await post(receiver, "/admin/sign-in", { token: "guess" }, { cookie: undefined });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("set-cookie"), null);
    const foreign = await post(
      receiver,
      "/admin/sign-in",
      { token: TOKEN },
      { cookie: undefined },
      { origin: "https://attacker.example" },
    );
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get("set-cookie"), null);
  });

  it("signs in with a strict session cookie and lists the pending mention, escaped", async () => {
    const answer = await post(receiver, "/admin/sign-in", { token: TOKEN }, { cookie: undefined });
    assert.equal(answer.status, 303);
    const cookie = answer.headers.get("set-cookie") ?? "";
    assert.match(
      cookie,
      /^sp-admin=[\w-]{40,}; Path=\/admin; Max-Age=28800; HttpOnly; SameSite=Strict$/,
    );
    const page = await (await get(receiver, "/admin/", { cookie: cookie.split(";")[0] })).text();
    assert.ok(
      page.includes(
        "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;",
      ),
    );
    assert.ok(!page.includes("<script"), "no script element, ever");
    assert.ok(!page.includes("<img"), "the excerpt is text");
    assert.ok(!page.includes("javascript:"), "a non-http author URL is not a link");
    assert.match(
      page,
      /href="https:\/\/evil\.example\/post" rel="nofollow ugc noopener noreferrer"/,
    );
  });

  it("changes nothing without the CSRF token, from another origin, or without a session", async () => {
    const { browser, csrf } = await signIn(receiver);
    const attempts = [
      post(receiver, "/admin/moderate", { action: "approve", id: String(id) }, browser),
      post(receiver, "/admin/moderate", { action: "approve", id: String(id), csrf: "x" }, browser),
      post(receiver, "/admin/moderate", { action: "approve", id: String(id), csrf }, browser, {
        origin: "https://attacker.example",
      }),
      post(
        receiver,
        "/admin/moderate",
        { action: "approve", id: String(id), csrf },
        { cookie: undefined },
      ),
      // A browser's own word that the form came from another site.
      post(receiver, "/admin/moderate", { action: "approve", id: String(id), csrf }, browser, {
        "sec-fetch-site": "cross-site",
      }),
      // No Origin and no Referer: a request no browser on our page would send.
      fetch(`${receiver.origin}/admin/moderate`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: browser.cookie as string,
        },
        body: new URLSearchParams({ action: "approve", id: String(id), csrf }),
      }),
    ];
    for (const answer of await Promise.all(attempts)) assert.equal(answer.status, 403);
    assert.equal(receiver.store.list({ status: "approved" }).length, 0);
  });

  it("takes a browser's Sec-Fetch-Site: same-origin where no-referrer makes Origin null", async () => {
    const { browser, csrf } = await signIn(receiver);
    const answer = await post(
      receiver,
      "/admin/moderate",
      { action: "pending", id: String(id), csrf },
      browser,
      { origin: "null", "sec-fetch-site": "same-origin" },
    );
    // "pending" is not an action of the page: refused as such, not as a forgery.
    assert.equal(answer.status, 400);
  });

  it("approves from the page, then signs out; the old session changes nothing", async () => {
    const { browser, csrf } = await signIn(receiver);
    const done = await post(
      receiver,
      "/admin/moderate",
      { action: "approve", id: String(id), csrf, back: "?status=pending" },
      browser,
    );
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/admin/?status=pending&done=approve&n=1");
    assert.equal(receiver.store.list({ status: "approved" })[0]?.id, id);
    const notice = await (
      await get(receiver, done.headers.get("location") as string, browser)
    ).text();
    assert.match(notice, /1 mention approved\./);

    const out = await post(receiver, "/admin/sign-out", { csrf }, browser);
    assert.equal(out.status, 303);
    assert.match(out.headers.get("set-cookie") ?? "", /^sp-admin=; Path=\/admin; Max-Age=0/);
    const after = await post(
      receiver,
      "/admin/moderate",
      { action: "spam", id: String(id), csrf },
      browser,
    );
    assert.equal(after.status, 403);
    assert.equal(receiver.store.list({ status: "approved" })[0]?.id, id);
    assert.match(await (await get(receiver, "/admin/", browser)).text(), /name="token"/);
  });

  it("filters by page and by source host, and marks the cookie Secure behind https", async () => {
    const { browser } = await signIn(receiver);
    const byHost = await (
      await get(receiver, "/admin/?status=approved&host=evil.example", browser)
    ).text();
    assert.match(byHost, /1–1 of 1/);
    const other = await (
      await get(receiver, "/admin/?status=approved&host=nice.example", browser)
    ).text();
    assert.match(other, /none/);
    const secure = await post(
      receiver,
      "/admin/sign-in",
      { token: TOKEN },
      { cookie: undefined },
      // Behind a TLS proxy the browser's Origin is https too.
      { "x-forwarded-proto": "https", origin: receiver.origin.replace("http:", "https:") },
    );
    assert.match(secure.headers.get("set-cookie") ?? "", /; Secure$/);
  });

  it("shows protocol and kind, and lists mentions removed as gone under deleted", async () => {
    const reply = await receiver.store.insert({
      protocol: "webmention",
      source: "https://friend.example/reply",
      target: TARGET,
      status: "approved",
      verification: "verified",
      clientIp: null,
      post: {
        title: "Re: hello",
        authorName: "Friend",
        authorUrl: "https://friend.example/",
        published: null,
        lang: null,
        excerpt: "Nice!",
        property: "in-reply-to",
      },
    });
    const { browser } = await signIn(receiver);
    const approved = await (await get(receiver, "/admin/?status=approved", browser)).text();
    assert.match(approved, /webmention · reply/);
    await receiver.store.markDeleted(reply.id, "gone");
    const after = await (await get(receiver, "/admin/?status=approved", browser)).text();
    assert.doesNotMatch(after, /Re: hello/);
    const deleted = await (await get(receiver, "/admin/?status=deleted", browser)).text();
    assert.match(deleted, /Re: hello/);
    assert.match(deleted, /deleted \(gone\)/);
  });

  it("rate-limits failed sign-ins per client", async () => {
    let last: Response | undefined;
    for (let k = 0; k < 8; k++) {
      last = await post(receiver, "/admin/sign-in", { token: `wrong ${k}` }, { cookie: undefined });
      if (last.status === 429) break;
    }
    assert.equal(last?.status, 429);
    assert.ok(Number(last?.headers.get("retry-after")) >= 1);
  });
});

describe("the private feed of pending mentions", () => {
  const temp = tempDir();
  let receiver: TestReceiver;
  let key: string | undefined = "feed key that is long enough 123";
  before(async () => {
    receiver = await startReceiver(temp.dir, { admin: { token: TOKEN, feedKey: () => key } });
    await receiver.store.insert({
      source: "https://evil.example/post",
      target: TARGET,
      status: "pending",
      verification: "verified",
      clientIp: null,
      post: {
        title: HOSTILE_TITLE,
        authorName: "M & M",
        authorUrl: null,
        published: null,
        lang: null,
        excerpt: "bad \u0001 control <x>",
      },
    });
  });
  after(async () => {
    await receiver.close();
    temp.remove();
  });

  it("is valid Atom, parsed by a real XML parser, with the hostile fields as text", async () => {
    const answer = await fetch(
      `${receiver.origin}/admin/feed/${encodeURIComponent(key as string)}`,
    );
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get("content-type") ?? "", /^application\/atom\+xml/);
    const xml = await answer.text();
    // Well-formed XML by a strict parser (saxes, through core), then the Atom structure.
    const feed = parseXmlDocument(xml);
    assert.equal(feed.name, "feed");
    assert.match(xml, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    const texts = new Map<string, string[]>();
    const walk = (element: XmlElement, path: string) => {
      const here = path ? `${path}/${element.name}` : element.name;
      if (element.children.length === 0)
        texts.set(here, [...(texts.get(here) ?? []), element.text]);
      for (const child of element.children) walk(child, here);
    };
    walk(feed, "");
    for (const required of [
      "feed/id",
      "feed/title",
      "feed/updated",
      "feed/entry/id",
      "feed/entry/updated",
    ]) {
      assert.ok(texts.has(required), `${required} is there`);
    }
    assert.deepEqual(texts.get("feed/entry/title"), [`evil.example: ${HOSTILE_TITLE}`]);
    assert.deepEqual(texts.get("feed/entry/author/name"), ["M & M"]);
    assert.match(
      texts.get("feed/entry/summary")?.[0] ?? "",
      /^bad {2}control <x>\nmention-of https:\/\/site\.example\/posts\/hello\/ by pingback/,
    );
    assert.ok(texts.get("feed/id")?.[0]?.startsWith("tag:site.example,"));
    assert.ok(!xml.includes(key as string), "the key is not in the feed");
  });

  it("answers 404 to a wrong key, and to the old key once revoked", async () => {
    assert.equal(
      (await fetch(`${receiver.origin}/admin/feed/not-the-key-at-all-12345`)).status,
      404,
    );
    const old = key as string;
    key = undefined;
    assert.equal(
      (await fetch(`${receiver.origin}/admin/feed/${encodeURIComponent(old)}`)).status,
      404,
    );
    key = "a brand new feed key 0987654321";
    assert.equal(
      (await fetch(`${receiver.origin}/admin/feed/${encodeURIComponent(old)}`)).status,
      404,
    );
    assert.equal(
      (await fetch(`${receiver.origin}/admin/feed/${encodeURIComponent(key)}`)).status,
      200,
    );
  });
});

describe("admin options", () => {
  it("refuse a short token", async () => {
    const { resolveReceiverOptions } = await import("../src/options.ts");
    const { SqlitePingbackStore } = await import("../src/store/sqlite-store.ts");
    const store = new SqlitePingbackStore(":memory:");
    try {
      assert.throws(
        () =>
          resolveReceiverOptions({
            site: "https://site.example/",
            manifest: "m.json",
            store,
            admin: { token: "short" },
          }),
        /admin\.token must be at least 20 characters/,
      );
    } finally {
      store.close();
    }
  });
});
