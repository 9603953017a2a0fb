import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PingbackOptionsError } from "../../src/options/options-error.ts";
import { loadReceived } from "../../src/received/load.ts";
import { resolveReceivedOptions } from "../../src/received/options.ts";

const PKG = "@static-pingback/test";
const SITE = new URL("https://me.example/");
const FEED = {
  type: "feed",
  name: "Webmentions",
  children: [
    { "wm-source": "https://a.example/1", "wm-target": "https://me.example/p/", name: "One" },
  ],
};

type Handler = (req: IncomingMessage) => {
  status?: number;
  body: string;
  delayMs?: number;
  headers?: Record<string, string>;
};

/** A loopback HTTP server whose answer each test sets. */
async function startServer(): Promise<{
  base: string;
  server: Server;
  set(h: Handler): void;
  requests: string[];
}> {
  let handler: Handler = () => ({ body: JSON.stringify(FEED) });
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const { status = 200, body, delayMs = 0, headers = {} } = handler(req);
    setTimeout(() => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    server,
    set: (h) => {
      handler = h;
    },
    requests,
  };
}

describe("resolveReceivedOptions", () => {
  it("reads the string forms", () => {
    assert.equal(resolveReceivedOptions("data/received.json", PKG).kind, "file");
    assert.equal(resolveReceivedOptions("https://me.example/pingbacks.json", PKG).kind, "url");
    const wm = resolveReceivedOptions("webmention.io", PKG, SITE);
    assert.equal(wm.kind, "webmention.io");
    assert.equal(wm.kind === "webmention.io" && wm.domain, "me.example");
    assert.equal(wm.kind === "webmention.io" && wm.tokenEnv, "WEBMENTION_IO_TOKEN");
    assert.equal(wm.durationMs, 3_600_000);
  });

  for (const [input, message] of [
    [42, /option "received" must be a file path/],
    [{}, /"received" needs exactly one of file, url, webmentionIo; got none/],
    [{ file: "a", url: "https://x" }, /got file and url/],
    [{ file: "a", duration: "soon" }, /"received\.duration" must look like/],
    [{ url: "ftp://x/" }, /"received\.url" must use http/],
    [{ file: "a", timeout: 3 }, /"received\.timeout" is not a known option/],
    [{ webmentionIo: { tokenEnv: "not a name" } }, /"received\.webmentionIo\.tokenEnv"/],
    [{ webmentionIo: ["example.com"] }, /"received\.webmentionIo" must be true or an object/],
    [{ webmentionIo: null }, /"received\.webmentionIo" must be true or an object/],
    [{ file: "a", avatars: [] }, /"received\.avatars" must be true, false or/],
    [{ file: "a", offline: "yes" }, /"received\.offline" must be true or false, got "yes"/],
    [{ file: "a", timeoutMs: 0 }, /"received\.timeoutMs" must be a positive integer, got 0/],
    [{ file: "a", maxBytes: 1.5 }, /"received\.maxBytes" must be a positive integer/],
    [{ file: "a", avatars: { maxCount: -1 } }, /"received\.avatars\.maxCount" must be a positive/],
    [
      { file: "a", avatars: { allowPrivateNetworks: 1 } },
      /"received\.avatars\.allowPrivateNetworks" must be true or false/,
    ],
  ] as const) {
    it(`rejects ${JSON.stringify(input)} naming the option and package`, () => {
      assert.throws(
        () => resolveReceivedOptions(input, PKG, SITE),
        (error: unknown) =>
          error instanceof PingbackOptionsError &&
          error.message.startsWith(`[${PKG}]`) &&
          message.test(error.message),
      );
    });
  }
});

describe("loadReceived", () => {
  let dir: string;
  let peer: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-received-"));
    peer = await startServer();
  });
  after(async () => {
    await new Promise((resolve) => peer.server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("loads a local file, and warns (without failing) when it is missing or garbage", async () => {
    const file = join(dir, "received.json");
    await writeFile(file, JSON.stringify(FEED));
    const ok = await loadReceived(resolveReceivedOptions("received.json", PKG), { cwd: dir });
    assert.equal(ok.from, "file");
    assert.equal(ok.entries[0]?.title, "One");

    const missing = await loadReceived(resolveReceivedOptions("nope.json", PKG), { cwd: dir });
    assert.deepEqual([missing.from, missing.entries.length], ["none", 0]);
    assert.match(missing.warnings.join("\n"), /nope\.json does not exist/);

    await writeFile(join(dir, "bad.json"), "{ not json");
    const bad = await loadReceived(resolveReceivedOptions("bad.json", PKG), { cwd: dir });
    assert.deepEqual([bad.from, bad.entries.length], ["none", 0]);
    assert.match(bad.warnings.join("\n"), /bad\.json is not valid JSON/);
  });

  it("fetches a URL once per duration, caches it, and falls back to the cache when the source breaks", async () => {
    const cacheDir = join(dir, "cache-url");
    const url = `${peer.base}/pingbacks.json`;
    const options = resolveReceivedOptions({ url, cacheDir, duration: "1h" }, PKG);
    peer.requests.length = 0;

    const first = await loadReceived(options, { cwd: dir, now: 1_000_000 });
    assert.deepEqual([first.from, first.entries.length, first.warnings], ["network", 1, []]);
    assert.equal((await readdir(cacheDir)).length, 1);

    const second = await loadReceived(options, { cwd: dir, now: 1_000_000 + 60_000 });
    assert.equal(second.from, "cache");
    assert.equal(peer.requests.length, 1, "no second request within the duration");

    for (const answer of [
      { status: 500, body: "oops" },
      { body: "<html>not json</html>" },
      { body: JSON.stringify({ hello: "world" }) },
    ]) {
      peer.set(() => answer);
      const later = await loadReceived(options, { cwd: dir, now: 1_000_000 + 7_200_000 });
      assert.equal(later.from, "stale-cache");
      assert.equal(later.entries.length, 1);
      assert.match(
        later.warnings[0] as string,
        /could not load received pingbacks from http:\/\/127\.0\.0\.1/,
      );
    }
    peer.set(() => ({ body: JSON.stringify(FEED) }));
  });

  it("follows Link rel=next pages on the same origin (our receiver's export is paged)", async () => {
    const entry = (n: number) => ({
      "wm-source": `https://a.example/${n}`,
      "wm-target": "https://me.example/p/",
      name: `Entry ${n}`,
    });
    peer.set((req) => {
      const page = Number(new URL(req.url ?? "/", "http://x").searchParams.get("page") ?? 0);
      const headers: Record<string, string> =
        page === 0
          ? { link: '</paged.jf2?page=1>; rel="next"' }
          : page === 1
            ? { link: '<https://elsewhere.example/paged.jf2?page=2>; rel="next"' }
            : {};
      return { body: JSON.stringify({ type: "feed", children: [entry(page)] }), headers };
    });
    const options = resolveReceivedOptions(
      { url: `${peer.base}/paged.jf2`, cacheDir: join(dir, "cache-paged"), duration: "0s" },
      PKG,
    );
    peer.requests.length = 0;
    const loaded = await loadReceived(options, { cwd: dir });
    assert.deepEqual(
      loaded.entries.map((e) => e.title),
      ["Entry 0", "Entry 1"],
    );
    // The next link to another origin is not followed.
    assert.deepEqual(peer.requests, ["/paged.jf2", "/paged.jf2?page=1"]);
    peer.set(() => ({ body: JSON.stringify(FEED) }));
  });

  it("warns and gives no entries when unreachable, too slow or too large, with no cache", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const unreachable = await loadReceived(
      resolveReceivedOptions({ url: `http://127.0.0.1:${port}/x.json`, cacheDir: "c1" }, PKG),
      { cwd: dir },
    );
    assert.deepEqual([unreachable.from, unreachable.entries.length], ["none", 0]);
    assert.match(unreachable.warnings.join("\n"), /ECONNREFUSED/);

    peer.set(() => ({ body: JSON.stringify(FEED), delayMs: 500 }));
    const slow = await loadReceived(
      resolveReceivedOptions({ url: `${peer.base}/slow.json`, cacheDir: "c2", timeoutMs: 50 }, PKG),
      { cwd: dir },
    );
    assert.match(slow.warnings.join("\n"), /within 50 ms/);

    peer.set(() => ({ body: JSON.stringify({ ...FEED, pad: "x".repeat(5000) }) }));
    const big = await loadReceived(
      resolveReceivedOptions({ url: `${peer.base}/big.json`, cacheDir: "c3", maxBytes: 1000 }, PKG),
      { cwd: dir },
    );
    assert.match(big.warnings.join("\n"), /exceeds 1000 bytes/);
    peer.set(() => ({ body: JSON.stringify(FEED) }));
  });

  it("asks webmention.io's API with the token from the environment, never logging or caching it", async () => {
    const token = "s3cret/token+value";
    const cacheDir = join(dir, "cache-wm");
    const options = resolveReceivedOptions(
      {
        webmentionIo: { apiUrl: `${peer.base}/api/mentions.jf2`, tokenEnv: "TEST_WM_TOKEN" },
        cacheDir,
        duration: "0s",
      },
      PKG,
      SITE,
    );
    const missing = await loadReceived(options, { cwd: dir, env: {} });
    assert.match(missing.warnings.join("\n"), /TEST_WM_TOKEN is not set/);

    peer.requests.length = 0;
    const ok = await loadReceived(options, { cwd: dir, env: { TEST_WM_TOKEN: token } });
    assert.equal(ok.from, "network");
    const query = new URL(peer.requests[0] as string, peer.base).searchParams;
    assert.deepEqual(
      [query.get("domain"), query.get("token"), query.get("page")],
      ["me.example", token, "0"],
    );
    const [cached] = await readdir(cacheDir);
    const cachedText = await readFile(join(cacheDir, cached as string), "utf8");
    assert.ok(!cachedText.includes("s3cret"), "the token is not cached");

    peer.set((req) => ({
      status: 401,
      body: `bad token ${new URL(req.url ?? "", peer.base).searchParams.get("token")}`,
    }));
    const refused = await loadReceived(options, { cwd: dir, env: { TEST_WM_TOKEN: token } });
    assert.equal(refused.from, "stale-cache");
    assert.match(refused.warnings.join("\n"), /HTTP 401/);
    assert.ok(!refused.warnings.join("\n").includes("s3cret"), "the token is not logged");

    // Network errors quote the URL, which holds the token (URL-encoded): still redacted.
    peer.set(() => ({ body: "{}", delayMs: 300 }));
    const slowOptions = resolveReceivedOptions(
      {
        webmentionIo: { apiUrl: `${peer.base}/api/mentions.jf2`, tokenEnv: "TEST_WM_TOKEN" },
        cacheDir,
        duration: "0s",
        timeoutMs: 50,
      },
      PKG,
      SITE,
    );
    const slow = await loadReceived(slowOptions, { cwd: dir, env: { TEST_WM_TOKEN: token } });
    assert.match(slow.warnings.join("\n"), /within 50 ms/);
    assert.match(slow.warnings.join("\n"), /token=\*\*\*/);
    assert.ok(!slow.warnings.join("\n").includes("s3cret"), "the token is not logged");
    peer.set(() => ({ body: JSON.stringify(FEED) }));
  });

  it("offline uses the cache whatever its age and never fetches", async () => {
    const cacheDir = join(dir, "cache-url");
    peer.requests.length = 0;
    const options = resolveReceivedOptions(
      { url: `${peer.base}/pingbacks.json`, cacheDir, offline: true },
      PKG,
    );
    const result = await loadReceived(options, { cwd: dir, now: Date.now() + 1e12 });
    assert.deepEqual([result.from, result.entries.length, peer.requests.length], ["cache", 1, 0]);
  });
});
