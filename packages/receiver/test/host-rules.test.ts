import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseBlocklist } from "../src/hosts/shared-blocklist.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
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

const TOKEN = "host rules test admin token 1234";

async function signIn(receiver: TestReceiver): Promise<{ cookie: string; csrf: string }> {
  const answer = await fetch(`${receiver.origin}/admin/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: receiver.origin },
    body: new URLSearchParams({ token: TOKEN }),
  });
  const cookie = answer.headers.get("set-cookie")?.split(";")[0] as string;
  const text = await (await fetch(`${receiver.origin}/admin/`, { headers: { cookie } })).text();
  return { cookie, csrf: text.match(/name="csrf" value="([^"]+)"/)?.[1] as string };
}

function post(
  receiver: TestReceiver,
  path: string,
  session: { cookie: string; csrf: string },
  form: Record<string, string>,
): Promise<Response> {
  return fetch(`${receiver.origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: receiver.origin,
      cookie: session.cookie,
    },
    body: new URLSearchParams({ ...form, csrf: session.csrf }),
  });
}

describe("host rules: learned trust, blocking from the page, the store's lists", () => {
  const temp = tempDir();
  let source: SourceServer;
  let receiver: TestReceiver;
  before(async () => {
    source = await startSourceServer();
    for (const path of ["/a", "/b", "/c"]) {
      source.route(path, page(html(`<a href="${TARGET}">a post</a>`)));
    }
    receiver = await startReceiver(temp.dir, {
      ...LOOSE_LIMITS,
      allowPrivateNetworks: true,
      learnTrustAfter: 1,
      admin: { token: TOKEN },
    });
  });
  after(async () => {
    await receiver.close();
    await source.close();
    temp.remove();
  });

  it("trusts a host after the owner approved enough of its mentions", async () => {
    assert.equal((await ping(receiver.endpoint, `${source.origin}/a`, TARGET)).kind, "success");
    const first = receiver.store.find(`${source.origin}/a`, TARGET);
    assert.equal(first?.status, "pending");
    const session = await signIn(receiver);
    const done = await post(receiver, "/admin/moderate", session, {
      action: "approve",
      id: String(first?.id),
    });
    assert.equal(done.status, 303);
    assert.deepEqual(
      receiver.store.hostRules().map((rule) => [rule.host, rule.rule, rule.origin]),
      [["127.0.0.1", "trust", "learned"]],
    );
    await ping(receiver.endpoint, `${source.origin}/b`, TARGET);
    assert.equal(receiver.store.find(`${source.origin}/b`, TARGET)?.status, "approved");
  });

  it("blocks a host from a row's button: its next mention is spam, never fetched", async () => {
    const session = await signIn(receiver);
    const done = await post(receiver, "/admin/hosts", session, {
      rule: "block:127.0.0.1",
      back: "?status=approved",
    });
    assert.equal(done.status, 303);
    const location = done.headers.get("location") as string;
    const notice = await (
      await fetch(`${receiver.origin}${location}`, { headers: { cookie: session.cookie } })
    ).text();
    assert.match(notice, /127\.0\.0\.1 is now blocked\./);
    const before = source.requests.length;
    await ping(receiver.endpoint, `${source.origin}/c`, TARGET);
    const row = receiver.store.find(`${source.origin}/c`, TARGET);
    assert.deepEqual([row?.status, row?.verification], ["spam", "skipped"]);
    assert.equal(source.requests.length, before, "the source was not fetched");
    const hosts = await (
      await fetch(`${receiver.origin}/admin/hosts`, { headers: { cookie: session.cookie } })
    ).text();
    assert.match(hosts, /<td>127\.0\.0\.1<\/td><td>block<\/td><td class="meta">owner/);
  });

  it("forgets a rule from the hosts tab, and refuses a host that is not one", async () => {
    const session = await signIn(receiver);
    const bad = await post(receiver, "/admin/hosts", session, { verb: "block", host: "<b>x" });
    assert.equal(bad.status, 400);
    await post(receiver, "/admin/hosts", session, { rule: "forget:127.0.0.1", back: "hosts" });
    assert.deepEqual(receiver.store.hostRules(), []);
  });
});

describe("host rules from flags and shared blocklists", () => {
  const temp = tempDir();
  let receiver: TestReceiver;
  before(async () => {
    const list = join(temp.dir, "blocklist.txt");
    writeFileSync(list, "# shared list\nspam.example.org\n*.junk.example\nnot a host!\n\n");
    receiver = await startReceiver(temp.dir, {
      trusted: ["*.example.net"],
      blocked: ["bad.example"],
      blocklists: [list],
    });
  });
  after(async () => {
    await receiver.close();
    temp.remove();
  });

  it("seeds the flags into the store and blocks the shared list's hosts", async () => {
    assert.deepEqual(
      receiver.store.hostRules().map((rule) => [rule.host, rule.rule, rule.origin]),
      [
        ["*.example.net", "trust", "flag"],
        ["bad.example", "block", "flag"],
      ],
    );
    assert.deepEqual(parseBlocklist("a.example\n# x\nnot valid!\n*.b.example # c"), {
      hosts: ["a.example", "*.b.example"],
      skipped: 1,
    });
  });
});

describe("erasing a person's data, and retention of declined mentions", () => {
  const temp = tempDir();
  it("erases by author URL or by host, and prunes old rejected, spam and deleted rows", () => {
    const store = new SqlitePingbackStore(join(temp.dir, "erase.db"));
    try {
      const add = (n: number, author: string, status: "approved" | "spam" = "approved") =>
        store.insert({
          source: `https://${n < 3 ? "ann" : "bo"}.example/${n}`,
          target: TARGET,
          status,
          verification: "verified",
          clientIp: "192.0.2.1",
          post: {
            title: `post ${n}`,
            authorName: "Ann",
            authorUrl: author,
            published: null,
            lang: null,
            excerpt: null,
          },
        });
      add(1, "https://ann.example/");
      add(2, "https://ann.example");
      add(3, "https://bo.example/");
      add(4, "https://bo.example/", "spam");
      const before = store.lastChange();
      assert.equal(store.erase({ authorUrl: "https://ann.example" }), 2);
      assert.ok(store.lastChange() >= before, "the export's cache key moves");
      assert.equal(store.count({}), 2);
      assert.equal(store.pruneDeclined(new Date(Date.now() + 1000).toISOString()), 1);
      assert.equal(store.erase({ host: "bo.example" }), 1);
      assert.equal(store.count({}), 0);
    } finally {
      store.close();
      temp.remove();
    }
  });
});
