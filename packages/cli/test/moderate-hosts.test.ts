import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SqlitePingbackStore } from "@static-pingback/receiver";
import { runCliHere } from "./run-cli.ts";

describe("moderate: host rules and erase", () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-cli-hosts-"));
    db = join(dir, "received.db");
    const store = new SqlitePingbackStore(db);
    for (const [n, host] of [
      [1, "ann.example"],
      [2, "ann.example"],
      [3, "bo.example"],
    ] as const) {
      store.insert({
        source: `https://${host}/${n}`,
        target: "https://site.example/posts/hello/",
        status: "pending",
        verification: "verified",
        clientIp: null,
        post: {
          title: `post ${n}`,
          authorName: null,
          authorUrl: `https://${host}/`,
          published: null,
          lang: null,
          excerpt: null,
        },
      });
    }
    store.close();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("trusts, blocks, lists and forgets hosts", async () => {
    assert.equal(
      (await runCliHere(["moderate", "trust", "*.friends.example", "--db", db])).code,
      0,
    );
    assert.equal((await runCliHere(["moderate", "block", "spam.example", "--db", db])).code, 0);
    const list = await runCliHere(["moderate", "hosts", "--db", db, "--json"]);
    assert.deepEqual(
      JSON.parse(list.stdout).map((rule: { host: string; rule: string }) => [rule.host, rule.rule]),
      [
        ["*.friends.example", "trust"],
        ["spam.example", "block"],
      ],
    );
    const bad = await runCliHere(["moderate", "block", "not a host", "--db", db]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /host names like example\.com/);
    assert.equal((await runCliHere(["moderate", "forget", "spam.example", "--db", db])).code, 0);
    const after = await runCliHere(["moderate", "hosts", "--db", db]);
    assert.doesNotMatch(after.stdout, /spam\.example/);
  });

  it("erases a person's mentions by author URL or host, and wants exactly one of them", async () => {
    const byAuthor = await runCliHere([
      "moderate",
      "erase",
      "--author",
      "https://ann.example",
      "--db",
      db,
    ]);
    assert.equal(byAuthor.code, 0);
    assert.match(byAuthor.stdout, /^2 mention\(s\) erased/);
    const byHost = await runCliHere(["moderate", "erase", "--host", "bo.example", "--db", db]);
    assert.match(byHost.stdout, /^1 mention\(s\) erased/);
    assert.equal((await runCliHere(["moderate", "erase", "--db", db])).code, 2);
    const store = new SqlitePingbackStore(db);
    try {
      assert.equal(store.count({}), 0);
    } finally {
      store.close();
    }
  });
});
