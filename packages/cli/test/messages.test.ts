/**
 * Messages say each thing once: no "ECONNREFUSED connect ECONNREFUSED …", no
 * "HTTP 404 HTTP 404: …", no sentence printed on two lines.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Loopback, startLoopback } from "../../core/test/net/loopback.ts";
import { writeSiteFiles } from "../../core/test/send/peers.ts";
import { runCliHere } from "./run-cli.ts";

/** Codes said twice in one line, and (for terminal output) a sentence on two lines. */
function repeats(text: string, lines = true): string[] {
  const found: string[] = [];
  const bodies = text.split("\n").map((line) => line.replace(/^\S+\s+/, "").trim());
  for (const line of lines ? bodies : []) {
    if (line.length > 20 && bodies.indexOf(line) !== bodies.lastIndexOf(line)) found.push(line);
  }
  for (const match of text.matchAll(/(ECONN\w+|HTTP \d{3}|fault \d+)\b.*\b\1\b/g)) {
    found.push(match[0]);
  }
  return found;
}

describe("messages", () => {
  let missing: Loopback;
  let closedUrl: string;
  before(async () => {
    missing = await startLoopback((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" }).end("<p>no such page</p>");
    });
    const closed = await startLoopback(() => {});
    closedUrl = `${closed.url}/post/`;
    await closed.close();
  });
  after(() => missing.close());

  it("discover says a fetch failure once", async () => {
    const result = await runCliHere(["discover", closedUrl, "--allow-private"]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /fetch {9}failed: could not reach .*: connect ECONNREFUSED/);
    assert.deepEqual(repeats(result.stdout), []);
  });

  it("send, status and state.json name an HTTP status or an errno once", async () => {
    const dir = await writeSiteFiles(
      { "https://me.example/a/": [`${missing.url}/post/`, closedUrl] },
      { previous: null },
    );
    const args = ["--dir", dir, "--allow-private", "--host-interval", "0"];
    const sent = await runCliHere(["send", "--all", "--retries", "0", ...args]);
    assert.equal(sent.code, 0, sent.stderr);
    const status = await runCliHere(["status", "--dir", dir]);
    assert.match(status.stdout, /: HTTP 404: fetching the target/);
    assert.match(status.stdout, /connect ECONNREFUSED 127\.0\.0\.1/);
    const state = await readFile(join(dir, "state.json"), "utf8");
    for (const [where, text] of [
      ["send", sent.stdout],
      ["status", status.stdout],
      ["state.json", state],
    ] as const) {
      assert.deepEqual(repeats(text, where !== "state.json"), [], where);
    }
  });
});
