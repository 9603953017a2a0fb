import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SqlitePingbackStore } from "@static-pingback/receiver";
import { runCliHere } from "./run-cli.ts";

const TARGET = "https://site.example/posts/hello/";

function entry(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "entry",
    "wm-id": n,
    "wm-source": `https://friend${n}.example/post`,
    "wm-target": TARGET,
    "wm-property": "mention-of",
    "wm-received": "2025-05-01T10:00:00Z",
    author: { type: "card", name: `Friend ${n}`, url: `https://friend${n}.example/` },
    name: `Post ${n}`,
    ...extra,
  };
}

describe("import webmention.io", () => {
  let dir: string;
  let api: Server;
  let apiUrl: string;
  const asked: URLSearchParams[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-cli-import-"));
    api = createServer((req, res) => {
      const params = new URL(req.url ?? "/", "http://x").searchParams;
      asked.push(params);
      if (params.get("token") !== "good-token") {
        res.writeHead(401).end("{}");
        return;
      }
      const page = Number(params.get("page"));
      const children = page === 0 ? [entry(10), entry(11)] : page === 1 ? [entry(12)] : [];
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "feed", children }));
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/mentions.jf2`;
  });
  after(async () => {
    await new Promise((resolve) => api.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("imports a JF2 file as approved, keeping protocol and kind, and again adds nothing", async () => {
    const file = join(dir, "export.jf2");
    await writeFile(
      file,
      JSON.stringify({
        type: "feed",
        children: [
          entry(1, {
            "wm-property": "in-reply-to",
            content: { text: "Great post!", html: "<p>Great post!</p>" },
          }),
          entry(2, { "wm-property": "like-of", "wm-protocol": "pingback" }),
          { "wm-source": "javascript:alert(1)", "wm-target": TARGET },
        ],
      }),
    );
    const db = join(dir, "file.db");
    const first = await runCliHere(["import", "webmention.io", "--file", file, "--db", db]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^2 mention\(s\) imported as approved, 0 already there, 1 not mentions/,
    );
    const again = await runCliHere(["import", "webmention.io", "--file", file, "--db", db]);
    assert.match(again.stdout, /^0 mention\(s\) imported as approved, 2 already there/);
    const store = new SqlitePingbackStore(db);
    try {
      const rows = store.list({ order: "asc" });
      assert.deepEqual(
        rows.map((row) => [row.status, row.protocol, row.post.property, row.post.excerpt]),
        [
          ["approved", "webmention", "in-reply-to", "Great post!"],
          ["approved", "pingback", "like-of", null],
        ],
      );
      assert.equal(rows[0]?.receivedAt, "2025-05-01T10:00:00.000Z");
      assert.equal(rows[0]?.post.authorName, "Friend 1");
    } finally {
      store.close();
    }
  });

  it("reads every page of the API with the token, and says when the token is refused", async () => {
    const db = join(dir, "api.db");
    const ok = await runCliHere(["import", "webmention.io", "--api", apiUrl, "--db", db], {
      WEBMENTION_IO_TOKEN: "good-token",
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^3 mention\(s\) imported/);
    assert.deepEqual(
      asked.map((params) => params.get("page")),
      ["0", "1", "2"],
    );
    assert.equal(asked[0]?.get("per-page"), "100");
    const refused = await runCliHere([
      "import",
      "webmention.io",
      "--api",
      apiUrl,
      "--token",
      "bad",
      "--db",
      db,
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /answered HTTP 401 \(check the token\)/);
    assert.doesNotMatch(refused.stderr, /bad/, "the token is not printed");
    const both = await runCliHere(["import", "webmention.io", "--db", db]);
    assert.equal(both.code, 2);
  });
});
