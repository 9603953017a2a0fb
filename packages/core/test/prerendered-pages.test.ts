import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { BuildSession } from "../src/build/build-session.ts";
import { prerenderedResponse } from "../src/build/prerendered-response.ts";
import { startedSession } from "./support/started-session.ts";

const SITE = "https://example.com/";
const shared = { site: SITE, endpoint: "https://example.com/xmlrpc" };
const PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>a</title></head><body><main><a href="https://t.example/">t</a></main></body></html>';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A session as a middleware-driven adapter starts it, inline (no worker), logging to `lines`. */
function session(stateDir: string, lines: string[]): Promise<BuildSession> {
  return startedSession(
    shared,
    stateDir,
    {
      prerenders: true,
      log: {
        info: (message) => lines.push(`info ${message}`),
        warn: (message) => lines.push(`warn ${message}`),
        debug: (message) => lines.push(`debug ${message}`),
      },
    },
    { worker: false },
  );
}

describe("prerenderedResponse", () => {
  it("gives an HTML page its link elements, keeping status and headers but not the old length", async () => {
    const work = await mkdtemp(join(tmpdir(), "sp-prerendered-"));
    dirs.push(work);
    const built = await session(join(work, "state"), []);
    const response = new Response(PAGE, {
      status: 200,
      statusText: "OK",
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-length": String(PAGE.length),
        "x-kept": "yes",
      },
    });
    const url = new URL("a/", SITE);
    const answered = await prerenderedResponse(built, { url, key: "/a" }, response);
    const html = await answered.text();
    assert.match(html, /<link rel="pingback" href="https:\/\/example\.com\/xmlrpc">/);
    assert.ok(html.endsWith("</html>"));
    assert.equal(answered.status, 200);
    assert.equal(answered.headers.get("x-kept"), "yes");
    assert.equal(answered.headers.get("content-length"), null);
    assert.equal(built.handedOut, 1);
    await built.close();
  });

  it("passes other responses through untouched and unread", async () => {
    let calls = 0;
    const counting = {
      prerender: () => {
        calls++;
        return "changed";
      },
    };
    const url = new URL("x/", SITE);
    for (const response of [
      new Response("{}", { headers: { "content-type": "application/json" } }),
      new Response(PAGE, { status: 404, headers: { "content-type": "text/html" } }),
      new Response(null, { status: 301, headers: { location: "/b/" } }),
      new Response(PAGE),
    ]) {
      const answered = await prerenderedResponse(counting, { url, key: "/x" }, response);
      assert.equal(answered, response);
      assert.equal(response.bodyUsed, false);
    }
    assert.equal(calls, 0);
  });

  it("leaves the page as rendered when the session cannot process it", async () => {
    const declining = { prerender: () => undefined };
    const response = new Response(PAGE, { headers: { "content-type": "TEXT/HTML" } });
    const answered = await prerenderedResponse(
      declining,
      { url: new URL(SITE), key: "" },
      response,
    );
    assert.equal(await answered.text(), PAGE);
  });
});

describe("BuildSession.finish with the written files", () => {
  it("hands the files over first, logs the pages left out and the timings at debug", async () => {
    const work = await mkdtemp(join(tmpdir(), "sp-written-finish-"));
    dirs.push(work);
    const out = join(work, "dist");
    const stateDir = join(work, "state");
    const lines: string[] = [];
    const built = await session(stateDir, lines);
    const a = await prerenderedResponse(
      built,
      { url: new URL("a/", SITE), key: "/a" },
      new Response(PAGE, { headers: { "content-type": "text/html" } }),
    );
    await mkdir(join(out, "a"), { recursive: true });
    await writeFile(join(out, "a", "index.html"), await a.text());
    // Written by the generator without passing through the middleware.
    await writeFile(join(out, "b.html"), PAGE.replace("t.example", "u.example"));
    const page = (name: string, files: string[]) => ({
      url: new URL(`${name}/`, SITE),
      key: `/${name}`,
      files: files.map((file) => join(out, file)),
    });
    const outcome = await built.finish({
      writtenFiles: {
        pages: [
          page("a", ["a/index.html"]),
          page("b", ["b/index.html", "b.html"]),
          page("gone", ["gone/index.html"]),
        ],
        concurrency: 2,
      },
      outputDir: out,
    });
    assert.equal(outcome?.recognised, 1, "the page the middleware handled is not redone");
    assert.equal(outcome?.summary.links, 2);
    const manifest = JSON.parse(await readFile(join(stateDir, "manifest.json"), "utf8"));
    assert.deepEqual(Object.keys(manifest.pages).sort(), [`${SITE}a/`, `${SITE}b/`]);
    assert.deepEqual(manifest.pages[`${SITE}b/`].links, ["https://u.example/"]);
    assert.match(await readFile(join(out, "b.html"), "utf8"), /rel="pingback"/, "b rewritten");
    const debug = lines.filter((line) => line.startsWith("debug "));
    assert.deepEqual(debug[0], `debug no HTML file found for ${SITE}gone/ in the output; left out`);
    assert.match(debug[1] ?? "", /^debug pages handed over in \d+ ms \(1 of 1 written complete/);
    assert.match(debug[2] ?? "", /^debug manifest and outbox written in \d+ ms$/);
    assert.ok(
      lines.some((line) => line.startsWith("info ")),
      "the summary",
    );
  });
});
