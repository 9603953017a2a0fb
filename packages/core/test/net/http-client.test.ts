import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import {
  BlockedAddressError,
  createHttpClient,
  type NetError,
  RedirectLoopError,
  ResponseTooLargeError,
  TimeoutError,
  TooManyRedirectsError,
  UnsupportedContentTypeError,
  UnsupportedUrlError,
  VERSION,
} from "../../src/net/index.ts";
import { type Loopback, startLoopback } from "./loopback.ts";

async function rejectsWith<T extends NetError>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}`);
}

describe("createHttpClient", () => {
  let server: Loopback;
  before(async () => {
    server = await startLoopback((req, res, body) => {
      const path = req.url ?? "/";
      if (path === "/echo") {
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end(`${req.method} ${req.headers["user-agent"]} ${body}`);
      } else if (path.startsWith("/hop/")) {
        const n = Number(path.slice(5));
        res.writeHead(n > 0 ? 302 : 200, n > 0 ? { location: `/hop/${n - 1}` } : {});
        res.end(n > 0 ? "" : "arrived");
      } else if (path === "/loop") {
        res.writeHead(301, { location: "/loop2" }).end();
      } else if (path === "/loop2") {
        res.writeHead(301, { location: "/loop" }).end();
      } else if (path === "/to-other-loopback") {
        res.writeHead(302, { location: `http://127.0.0.2:${server.port}/echo` }).end();
      } else if (path === "/to-metadata") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      } else if (path === "/post-307") {
        res.writeHead(307, { location: "/echo" }).end();
      } else if (path === "/big") {
        res.setHeader("content-type", "text/html");
        res.write("a".repeat(100_000));
        res.end("b".repeat(100_000));
      } else if (path === "/gzip-bomb") {
        res.writeHead(200, { "content-encoding": "gzip" });
        res.end(gzipSync(Buffer.alloc(20 * 1024 * 1024)));
      } else if (path === "/drip") {
        res.writeHead(200, { "content-type": "text/html" });
        const timer = setInterval(() => res.write("x"), 20);
        res.on("close", () => clearInterval(timer));
      } else if (path === "/image") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(Buffer.alloc(1000));
      } else {
        res.writeHead(404).end("nope");
      }
    });
  });
  after(() => server.close());

  const client = () =>
    createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"], timeoutMs: 2_000 });

  it("sends an identifying User-Agent and a body", async () => {
    const http = client();
    const response = await http.request(`${server.url}/echo`, { method: "POST", body: "hello" });
    assert.equal(response.status, 200);
    assert.equal(response.contentType, "text/plain");
    assert.equal(
      response.body.toString(),
      `POST static-pingback/${VERSION} (+https://github.com/static-pingback/static-pingback) hello`,
    );
    const extra = createHttpClient({ allowPrivateNetworks: true, userAgentExtra: "receiver" });
    assert.match(extra.userAgent, /^static-pingback\/\S+ \(receiver; \+https/);
    await Promise.all([http.close(), extra.close()]);
  });

  it("refuses loopback, literal or by name, unless allowed", async () => {
    const http = createHttpClient();
    const before = server.requests.length;
    const literal = await rejectsWith(http.request(`${server.url}/echo`), BlockedAddressError);
    assert.equal(literal.range, "loopback");
    // WHATWG spellings of 127.0.0.1 are classified as the address they denote.
    await rejectsWith(http.request(`http://2130706433:${server.port}/echo`), BlockedAddressError);
    await rejectsWith(http.request(`http://0x7f.1:${server.port}/echo`), BlockedAddressError);
    await rejectsWith(
      http.request(`http://[::ffff:127.0.0.1]:${server.port}/echo`),
      BlockedAddressError,
    );
    const named = await rejectsWith(
      http.request(`http://localhost:${server.port}/echo`),
      BlockedAddressError,
    );
    assert.equal(named.code, "blocked-address");
    assert.equal(server.requests.length, before);
    await http.close();
  });

  it("follows up to 5 redirects and refuses the 6th", async () => {
    const http = client();
    const ok = await http.request(`${server.url}/hop/5`);
    assert.equal(ok.body.toString(), "arrived");
    assert.equal(ok.redirects.length, 5);
    await rejectsWith(http.request(`${server.url}/hop/6`), TooManyRedirectsError);
    await rejectsWith(http.request(`${server.url}/loop`), RedirectLoopError);
    const unfollowed = await http.request(`${server.url}/hop/1`, { maxRedirects: 0 });
    assert.equal(unfollowed.status, 302);
    await http.close();
  });

  it("re-checks every redirect hop against the address policy", async () => {
    const http = client();
    const hop = await rejectsWith(
      http.request(`${server.url}/to-other-loopback`),
      BlockedAddressError,
    );
    assert.equal(hop.address, "127.0.0.2");
    const metadata = await rejectsWith(
      http.request(`${server.url}/to-metadata`),
      BlockedAddressError,
    );
    assert.equal(metadata.range, "cloud-metadata");
    await http.close();
  });

  it("keeps method and body on 307", async () => {
    const http = client();
    const response = await http.request(`${server.url}/post-307`, { method: "POST", body: "kept" });
    assert.match(response.body.toString(), /^POST .* kept$/);
    await http.close();
  });

  it("caps bytes: error by default, prefix on request", async () => {
    const http = client();
    await rejectsWith(
      http.request(`${server.url}/big`, { maxBytes: 64 * 1024 }),
      ResponseTooLargeError,
    );
    const prefix = await http.request(`${server.url}/big`, {
      maxBytes: 64 * 1024,
      overflow: "truncate",
    });
    assert.equal(prefix.body.length, 64 * 1024);
    assert.equal(prefix.truncated, true);
    await rejectsWith(
      http.request(`${server.url}/gzip-bomb`, { maxDecodedBytes: 1024 * 1024 }),
      ResponseTooLargeError,
    );
    const decoded = await http.request(`${server.url}/gzip-bomb`, {
      maxDecodedBytes: 1000,
      overflow: "truncate",
    });
    assert.equal(decoded.body.length, 1000);
    await http.close();
  });

  it("times out a slow-drip body", async () => {
    const http = client();
    const error = await rejectsWith(
      http.request(`${server.url}/drip`, { timeoutMs: 300 }),
      TimeoutError,
    );
    assert.equal(error.timeoutMs, 300);
    await http.close();
  });

  it("filters content types and can skip bodies", async () => {
    const http = client();
    await rejectsWith(
      http.request(`${server.url}/image`, { allowedContentTypes: ["text/html"] }),
      UnsupportedContentTypeError,
    );
    const skipped = await http.request(`${server.url}/image`, {
      shouldReadBody: (_status, type) => !type.startsWith("image/"),
    });
    assert.equal(skipped.bodySkipped, true);
    assert.equal(skipped.body.length, 0);
    await http.close();
  });

  it("refuses non-http schemes and credentials", async () => {
    const http = client();
    await rejectsWith(http.request("file:///etc/passwd"), UnsupportedUrlError);
    await rejectsWith(http.request(`http://u:p@127.0.0.1:${server.port}/`), UnsupportedUrlError);
    await http.close();
  });

  it("validates options at the door", () => {
    assert.throws(() => createHttpClient({ timeoutMs: -1 }), /timeoutMs must be/);
    assert.throws(() => createHttpClient({ allowPrivateNetworks: ["10/8x"] }), /not a CIDR/);
  });
});
