import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  html,
  MANIFEST,
  page,
  pythonPing,
  SITE,
  startSourceServer,
  TARGET,
  tempDir,
} from "../../receiver/test/helpers.ts";
import { runCliHere, startCli } from "./run-cli.ts";

const tmp = tempDir();
after(() => tmp.remove());

test("serve + moderate: a ping from python, listed, approved, exported, graceful stop", async () => {
  const source = await startSourceServer();
  source.route("/post", page(html(`<a href="${TARGET}">hello</a>`, "Cited from the CLI test")));
  const manifest = join(tmp.dir, "manifest.json");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const db = join(tmp.dir, "nested", "received.db");
  const serve = startCli([
    "serve",
    "--site",
    SITE,
    "--manifest",
    manifest,
    "--db",
    db,
    "--port",
    "0",
    "--allow-private",
  ]);
  try {
    const [first] = (await once(serve.child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
    const endpoint = /listening on (\S+)/.exec(first.toString())?.[1] as string;
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+\/xmlrpc$/);

    assert.match(
      (await pythonPing(endpoint, `${source.origin}/post`, TARGET)).result ?? "",
      /registered/,
    );

    // A refusal is logged too, so "why didn't it arrive?" has an answer.
    const refused = await pythonPing(endpoint, `${source.origin}/post`, `${SITE}no-such-page/`);
    assert.equal(refused.fault, 32);

    const list = await runCliHere(["moderate", "list", "--db", db, "--status", "pending"]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /id\s+status\s+check\s+received\s+source\s+target\s+title/);
    assert.match(list.stdout, /1\s+pending\s+verified\s+.*Cited from the CLI test/);

    const approve = await runCliHere(["moderate", "approve", "1", "--db", db]);
    assert.equal(approve.code, 0);
    assert.match(approve.stdout, /^1 pingback\(s\) approved$/m);
    const feed = (await (await fetch(endpoint.replace("/xmlrpc", "/pingbacks.jf2"))).json()) as {
      children: Array<{ "wm-source": string; name: string }>;
    };
    assert.deepEqual(
      feed.children.map((e) => [e["wm-source"], e.name]),
      [[`${source.origin}/post`, "Cited from the CLI test"]],
    );

    const byTarget = await runCliHere(["moderate", "list", "--db", db, "--target", `${TARGET}#c`]);
    assert.match(byTarget.stdout, /Cited from the CLI test/);
    const json = await runCliHere(["moderate", "list", "--db", db, "--json"]);
    assert.equal((JSON.parse(json.stdout) as Array<{ status: string }>)[0]?.status, "approved");
    const missing = await runCliHere(["moderate", "delete", "99", "--db", db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found: 99/);
    assert.equal((await runCliHere(["moderate", "frobnicate", "--db", db])).code, 2);
    assert.equal((await runCliHere(["moderate", "approve", "x1", "--db", db])).code, 2);
    assert.equal(
      (await runCliHere(["moderate", "list", "--db", join(tmp.dir, "none.db")])).code,
      1,
    );
  } finally {
    serve.child.kill("SIGTERM");
    const result = await serve.done;
    await source.close();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pingback receiver stopped/);
    const refusals = result.stderr
      .split("\n")
      .filter((line) => line.includes('"refused"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      refusals.map((r) => [r.level, r.fault, r.reason, r.target]),
      [["info", 32, "target-not-in-manifest", `${SITE}no-such-page/`]],
    );
  }
});

test("serve: bad options are input errors with a clear message", async () => {
  const result = await runCliHere([
    "serve",
    "--site",
    "not a url",
    "--manifest",
    join(tmp.dir, "m.json"),
    "--db",
    join(tmp.dir, "bad.db"),
  ]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /site must be an absolute http\(s\) URL/);
  const noManifest = await runCliHere([
    "serve",
    "--site",
    SITE,
    "--manifest",
    join(tmp.dir, "missing.json"),
    "--db",
    join(tmp.dir, "bad2.db"),
    "--port",
    "0",
  ]);
  assert.equal(noManifest.code, 1);
  assert.match(noManifest.stderr, /missing\.json: does not exist/);
});
