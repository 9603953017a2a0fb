/**
 * Strings from strangers (link elements, headers, fault strings) never reach the
 * terminal or state.json with escape sequences, controls or bidi characters in them.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeFault } from "@static-pingback/core/xmlrpc";
import { type Loopback, startLoopback } from "../../core/test/net/loopback.ts";
import { writeSiteFiles } from "../../core/test/send/peers.ts";
import { runCliHere } from "./run-cli.ts";

const ESC = "\u001b";
const BEL = "\u0007";
/** Sets the terminal's title, then clears the screen. */
const ATTACK = `${ESC}]0;pwned${BEL}${ESC}[2J`;
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

function assertClean(text: string, where: string): void {
  const found = UNSAFE.exec(text);
  assert.equal(found, null, `${where} holds U+${found?.[0].codePointAt(0)?.toString(16)}`);
  assert.ok(!text.includes("]0;pwned") && !text.includes("[2J"), `${where} holds an escape's text`);
}

describe("hostile text from targets", () => {
  let site: Loopback;
  before(async () => {
    site = await startLoopback((req, res) => {
      if (req.url === "/link") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<html><head><link rel="pingback" href="${ATTACK}http://x/"></head></html>`);
      } else if (req.url === "/header") {
        // Latin-1 bytes in a header value decode to C1 controls (0x9B is CSI).
        res.writeHead(200, {
          "content-type": "text/html\u009b2J",
          "x-pingback": "\u009b2J not a URL \u0085",
        });
        res.end("<html></html>");
      } else if (req.url === "/fault") {
        res.writeHead(200, { "content-type": "text/html", "x-pingback": `${site.url}/xmlrpc` });
        res.end("<html></html>");
      } else {
        res.writeHead(200, { "content-type": "text/xml" });
        // XML cannot carry an ESC, but C1 controls, bidi and zero-width characters pass.
        res.end(encodeFault(17, "no link\u009b2J\u202Eereh kcilc\u200B\uFEFF"));
      }
    });
  });
  after(() => site.close());

  it("discover prints the href, the header and the reason cleaned", async () => {
    for (const path of ["/link", "/header"]) {
      for (const json of [[], ["--json"]]) {
        const result = await runCliHere([
          "discover",
          `${site.url}${path}`,
          "--allow-private",
          ...json,
        ]);
        assert.equal(result.code, 0);
        assertClean(result.stdout, `discover ${path} ${json.join("")}`);
      }
    }
    const shown = await runCliHere(["discover", `${site.url}/link`, "--allow-private"]);
    assert.match(shown.stdout, /link element {2}http:\/\/x\//);
  });

  it("ping prints the discovery and the fault string cleaned", async () => {
    for (const path of ["/link", "/header", "/fault"]) {
      const result = await runCliHere([
        "ping",
        "https://me.example/a/",
        `${site.url}${path}`,
        "--allow-private",
      ]);
      assert.equal(result.code, 0);
      assertClean(result.stdout, `ping ${path}`);
    }
  });

  it("send and status print, and state.json stores, only clean text", async () => {
    const dir = await writeSiteFiles(
      { "https://me.example/a/": [`${site.url}/link`, `${site.url}/header`, `${site.url}/fault`] },
      { previous: null },
    );
    const sent = await runCliHere([
      "send",
      "--dir",
      dir,
      "--all",
      "--allow-private",
      "--host-interval",
      "0",
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    assertClean(sent.stdout + sent.stderr, "send");
    const status = await runCliHere(["status", "--dir", dir]);
    assertClean(status.stdout, "status");
    const state = await readFile(join(dir, "state.json"), "utf8");
    assertClean(
      JSON.stringify(JSON.parse(state), null, 0).replace(/\\u[0-9a-f]{4}/g, (sequence) =>
        JSON.parse(`"${sequence}"`),
      ),
      "state.json",
    );
    assert.match(state, /"message": "no linkereh kcilc"/);
  });

  it("status cleans messages of a state file written before cleaning existed", async () => {
    const dir = await writeSiteFiles({ "https://me.example/a/": [] }, { previous: null });
    const pair = {
      source: "https://me.example/a/",
      target: "https://t.example/",
      status: "rejected",
      attempts: 1,
      firstSeenAt: "2026-01-01T00:00:00.000Z",
      faultCode: 17,
      message: `old ${ATTACK} message\u202E`,
    };
    await writeFile(join(dir, "state.json"), JSON.stringify({ version: 1, pairs: [pair] }));
    const status = await runCliHere(["status", "--dir", dir]);
    assert.equal(status.code, 0, status.stderr);
    assertClean(status.stdout, "status");
    assert.match(status.stdout, /fault 17: old message/);
  });
});
