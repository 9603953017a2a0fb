import assert from "node:assert/strict";
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  DISABLED,
  html,
  LOOSE_LIMITS,
  page,
  ping,
  postRaw,
  type SourceServer,
  startReceiver,
  startSourceServer,
  TARGET,
  type TestReceiver,
  tempDir,
} from "./helpers.ts";

/**
 * Hostile inputs. Every case asserts the answer and that no forbidden
 * connection was made: `strict` refuses all private addresses, so the
 * loopback servers must see nothing at all; `lo` may reach 127.0.0.1 only,
 * so 127.0.0.2 and ::1 must see nothing.
 */

const tmp = tempDir();
let a: SourceServer; // 127.0.0.1: reachable for `lo` only
let b: SourceServer | undefined; // 127.0.0.2: never reachable (not bindable on every OS)
let bPort = 9;
// Accepts TCP and never says a word: the "silent port".
let silent: { port: number; connections: number; close: () => void };
let c: SourceServer | undefined; // ::1: never reachable
let strict: TestReceiver;
let lo: TestReceiver;

// DNS that changes its answer: the first lookup of rebind.test says 127.0.0.1, later ones 127.0.0.2.
const realLookup = dns.lookup;
let rebindLookups = 0;

before(async () => {
  a = await startSourceServer("127.0.0.1");
  b = await startSourceServer("127.0.0.2").catch(() => undefined);
  bPort = b?.port ?? 9;
  silent = await new Promise((resolve) => {
    const state = { port: 0, connections: 0, close: (): void => {} };
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      state.connections++;
      sockets.push(socket);
    });
    state.close = () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    };
    server.listen(0, "127.0.0.1", () => {
      state.port = (server.address() as AddressInfo).port;
      resolve(state);
    });
  });
  c = await startSourceServer("::1").catch(() => undefined);
  const common = {
    ...LOOSE_LIMITS,
    requestBodyTimeoutMs: 500,
    connectTimeoutMs: 100,
    // Generous (the limit is 3 s): a loaded CI box must not turn a 17 into "queued".
    answerDeadlineMs: 2900,
  };
  strict = await startReceiver(tmp.dir, { ...common, allowPrivateNetworks: false }, "strict");
  lo = await startReceiver(tmp.dir, { ...common, allowPrivateNetworks: ["127.0.0.1/32"] }, "lo");
  (dns as { lookup: unknown }).lookup = ((host: string, options: unknown, callback: unknown) => {
    if (host !== "rebind.test") {
      return (realLookup as (...args: unknown[]) => void)(host, options, callback);
    }
    rebindLookups++;
    const address = rebindLookups === 1 ? "127.0.0.1" : "127.0.0.2";
    const cb = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
    const all = typeof options === "object" && (options as { all?: boolean }).all;
    process.nextTick(() => (all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4)));
  }) as typeof dns.lookup;
  syncBuiltinESMExports();

  a.route("/redirect-b", (_q, r) =>
    r.writeHead(302, { location: `http://127.0.0.2:${bPort}/page` }).end(),
  );
  a.route("/redirect-meta", (_q, r) =>
    r.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
  );
  a.route("/redirect-v6", (_q, r) =>
    r.writeHead(307, { location: `http://[::1]:${c?.port ?? bPort}/page` }).end(),
  );
  a.route("/redirect-file", (_q, r) => r.writeHead(302, { location: "file:///etc/passwd" }).end());
  a.route("/loop", (_q, r) => r.writeHead(302, { location: "/loop2" }).end());
  a.route("/loop2", (_q, r) => r.writeHead(302, { location: "/loop" }).end());
  for (let i = 0; i < 12; i++) {
    a.route(`/hop${i}`, (_q, r) => r.writeHead(302, { location: `/hop${i + 1}` }).end());
  }
  a.route("/rebind", (_q, r) =>
    r.writeHead(302, { location: `http://rebind.test:${bPort}/page` }).end(),
  );
  a.route("/server-error", (_q, r) => r.writeHead(500, { "content-type": "text/html" }).end("x"));
  const link = `<a href="${TARGET}">t</a>`;
  a.route("/big", page(html(`${"<p>filler</p>".repeat(180_000)}${link}`)));
  const bomb = gzipSync(Buffer.concat([Buffer.alloc(64 * 1024 * 1024, 0x20), Buffer.from(link)]));
  a.route("/bomb", (_q, r) => {
    r.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
    r.end(bomb);
  });
  a.route("/pdf", page(`%PDF-1.4 ${link}`, "application/pdf"));
  a.route("/plain", page(`see ${TARGET}\n${link}`, "text/plain"));
  a.route(
    "/svg",
    page(`<svg xmlns="http://www.w3.org/2000/svg"><a href="${TARGET}"/></svg>`, "image/svg+xml"),
  );
  a.route("/none", (_q, r) => r.writeHead(200).end(link));
  a.route("/comment", page(html(`<!-- ${link} -->`)));
  a.route("/script", page(html(`<script>var s='${link}'</script>`)));
  a.route("/attr", page(html(`<div data-href="${TARGET}" title="${link}">x</div>`)));
  a.route("/noscript-img", page(html(`<img src="${TARGET}"><link rel="next" href="${TARGET}">`)));
  a.route(
    "/near",
    page(
      html(
        `<a href="${TARGET}x">almost</a><a href="https://site.example/posts/hello/extra">no</a>`,
      ),
    ),
  );
  a.route("/utf16", (_q, r) => {
    r.writeHead(200, { "content-type": "text/html; charset=utf-16le" });
    r.end(Buffer.from(html(link), "utf16le"));
  });
  a.route("/bogus-charset", page(html(link), "text/html; charset=x-no-such-charset"));
  a.route("/ok", page(html(link)));
});

after(async () => {
  (dns as { lookup: unknown }).lookup = realLookup;
  syncBuiltinESMExports();
  await Promise.all([strict.close(), lo.close()]);
  silent.close();
  await Promise.all([a.close(), b?.close(), c?.close()]);
  tmp.remove();
});

const call = (method: string, params: string) =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params}</params></methodCall>`;
const str = (s: string) => `<param><value><string>${s}</string></value></param>`;
const pingXml = (s: string, t: string) => call("pingback.ping", str(s) + str(t));

type Expect = number | "success";
interface Case {
  name: string;
  via: "strict" | "lo";
  /** Raw body, or a [source, target] pair. */
  send: string | (() => [string, string]);
  expect: Expect;
}

const forbiddenConnections = (via: "strict" | "lo") =>
  (via === "strict" ? a.connections + silent.connections : 0) +
  (b?.connections ?? 0) +
  (c?.connections ?? 0);

async function run(kase: Case): Promise<void> {
  const receiver = kase.via === "strict" ? strict : lo;
  const before = forbiddenConnections(kase.via);
  const answer =
    typeof kase.send === "string"
      ? await postRaw(receiver.endpoint, kase.send)
      : await ping(receiver.endpoint, ...kase.send());
  assert.equal(answer.status, 200, `${kase.name}: HTTP status`);
  const got = answer.kind === "success" ? "success" : answer.code;
  assert.equal(got, kase.expect, `${kase.name}: answer`);
  assert.equal(forbiddenConnections(kase.via), before, `${kase.name}: forbidden connection made`);
}

const port = () => a.port;
const xmlCases: Case[] = [
  {
    name: "billion laughs",
    via: "strict",
    send: `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${pingXml("&c;", TARGET)}`,
    expect: -32700,
  },
  {
    name: "external entity",
    via: "strict",
    send: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${pingXml("&e;", TARGET)}`,
    expect: -32700,
  },
  {
    name: "external parameter entity fetching a URL",
    via: "strict",
    send: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/dtd"> %p;]>${pingXml("a", "b")}`,
    expect: -32700,
  },
  { name: "unknown entity", via: "strict", send: pingXml("&nbsp;", TARGET), expect: -32700 },
  { name: "two roots", via: "strict", send: `${pingXml("a", "b")}<methodCall/>`, expect: -32700 },
  {
    name: "unclosed element",
    via: "strict",
    send: pingXml("a", "b").replace("</methodCall>", ""),
    expect: -32700,
  },
  { name: "empty body", via: "strict", send: "", expect: -32700 },
  { name: "JSON body", via: "strict", send: '{"method":"pingback.ping"}', expect: -32700 },
  { name: "HTML body", via: "strict", send: "<html><body>hi</body></html>", expect: -32700 },
  {
    name: "huge body (200 KB)",
    via: "strict",
    send: pingXml("x".repeat(200_000), TARGET),
    expect: -32700,
  },
  {
    name: "deep nesting",
    via: "strict",
    send: `<methodCall><methodName>pingback.ping</methodName><params><param><value>${"<array><data><value>".repeat(200)}x${"</value></data></array>".repeat(200)}</value></param></params></methodCall>`,
    expect: -32700,
  },
  {
    name: "no methodName",
    via: "strict",
    send: "<methodCall><params/></methodCall>",
    expect: -32700,
  },
  { name: "unknown method", via: "strict", send: call("system.listMethods", ""), expect: -32601 },
  { name: "multicall", via: "strict", send: call("system.multicall", str("x")), expect: -32601 },
  {
    name: "method name case",
    via: "strict",
    send: call("Pingback.Ping", str("a") + str("b")),
    expect: -32601,
  },
  {
    name: "one parameter",
    via: "strict",
    send: call("pingback.ping", str("http://127.0.0.1:9/ok")),
    expect: -32602,
  },
  {
    name: "three parameters",
    via: "strict",
    send: call("pingback.ping", str("a") + str("b") + str("c")),
    expect: -32602,
  },
  {
    name: "integer parameters",
    via: "strict",
    send: call("pingback.ping", "<param><value><int>1</int></value></param>".repeat(2)),
    expect: -32602,
  },
  {
    name: "array parameter",
    via: "strict",
    send: call(
      "pingback.ping",
      `<param><value><array><data>${"<value>x</value>"}</data></array></value></param>${str(TARGET)}`,
    ),
    expect: -32602,
  },
];

const blocked = (name: string, source: () => string): Case => ({
  name,
  via: "strict",
  send: () => [source(), TARGET],
  expect: 16,
});

const uriCases: Case[] = [
  blocked("javascript: scheme", () => "javascript:alert(1)"),
  blocked("file: scheme", () => "file:///etc/passwd"),
  blocked("gopher: scheme to loopback", () => `gopher://127.0.0.1:${port()}/_PING`),
  blocked("ftp: scheme", () => "ftp://127.0.0.1/"),
  blocked("userinfo", () => `http://user:pw@127.0.0.1:${port()}/ok`),
  blocked("5,000-character URI", () => `${a.origin}/${"a".repeat(5000)}`),
  blocked("relative URI", () => "/ok"),
  blocked("loopback", () => `http://127.0.0.1:${port()}/ok`),
  blocked("localhost name", () => `http://localhost:${port()}/ok`),
  blocked("localhost with trailing dot", () => `http://localhost.:${port()}/ok`),
  blocked("decimal IPv4", () => `http://2130706433:${port()}/ok`),
  blocked("octal IPv4", () => `http://0177.0.0.1:${port()}/ok`),
  blocked("hex IPv4", () => `http://0x7f.0.0.1:${port()}/ok`),
  blocked("short IPv4", () => `http://127.1:${port()}/ok`),
  blocked("IPv4 with trailing dot", () => `http://127.0.0.1.:${port()}/ok`),
  blocked("percent-encoded host", () => `http://%31%32%37.0.0.1:${port()}/ok`),
  blocked("fullwidth digits", () => `http://\uff11\uff12\uff17.0.0.1:${port()}/ok`),
  blocked("0.0.0.0 as 0", () => `http://0:${port()}/ok`),
  blocked("IPv6 loopback", () => `http://[::1]:${c?.port ?? port()}/ok`),
  blocked("IPv4-mapped IPv6", () => `http://[::ffff:127.0.0.1]:${port()}/ok`),
  blocked("IPv4-mapped IPv6, hex", () => `http://[::ffff:7f00:1]:${port()}/ok`),
  blocked("IPv4-compatible IPv6", () => `http://[::127.0.0.1]:${port()}/ok`),
  blocked("NAT64 IPv6", () => `http://[64:ff9b::7f00:1]:${port()}/ok`),
  blocked("cloud metadata", () => "http://169.254.169.254/latest/meta-data/"),
  blocked("cloud metadata, decimal", () => "http://2852039166/latest/meta-data/"),
  blocked("AWS IPv6 metadata", () => "http://[fd00:ec2::254]/"),
  blocked("private 10/8", () => "http://10.0.0.1/"),
  blocked("private 192.168/16", () => "http://192.168.1.1/"),
  blocked("private 172.16/12", () => "http://172.16.0.1/"),
  blocked("carrier-grade NAT", () => "http://100.64.0.1/"),
  blocked("link-local IPv6", () => "http://[fe80::1]/"),
  blocked("unique-local IPv6", () => "http://[fc00::1]/"),
  blocked("closed port", () => "http://127.0.0.1:1/ok"),
  blocked("open port", () => `http://127.0.0.1:${port()}/ok`),
  blocked("closed port on another loopback address", () => `http://127.0.0.2:${bPort}/`),
  blocked("silent port", () => `http://127.0.0.1:${silent.port}/`),
];

const viaLo = (name: string, path: string | (() => string), expect: Expect): Case => ({
  name,
  via: "lo",
  send: () => [typeof path === "string" ? `${a.origin}${path}` : path(), TARGET],
  expect,
});

const networkCases: Case[] = [
  viaLo("redirect to another loopback address", "/redirect-b", 16),
  viaLo("redirect to cloud metadata", "/redirect-meta", 16),
  viaLo("redirect to IPv6 loopback", "/redirect-v6", 16),
  viaLo("redirect to file:", "/redirect-file", 16),
  viaLo("redirect loop", "/loop", 16),
  viaLo("too many redirects", "/hop0", 16),
  viaLo("DNS answer changes between lookups", () => `http://rebind.test:${a.port}/rebind`, 16),
  viaLo("source 404", "/missing", 16),
  viaLo("source 500", "/server-error", 16),
  viaLo("closed port, reachable range", () => "http://127.0.0.1:1/", 16),
  viaLo("oversized source, link after the byte cap", "/big", 17),
  viaLo("compression bomb", "/bomb", 17),
  viaLo("PDF", "/pdf", 17),
  viaLo("text/plain with the URL", "/plain", 17),
  viaLo("SVG with a link", "/svg", 17),
  viaLo("no content type", "/none", 17),
  viaLo("link in a comment", "/comment", 17),
  viaLo("link in a script", "/script", 17),
  viaLo("link in attributes", "/attr", 17),
  viaLo("target only in img/link elements", "/noscript-img", 17),
  viaLo("near-miss links", "/near", 17),
  viaLo("UTF-16 source", "/utf16", "success"),
  viaLo("bogus charset label", "/bogus-charset", "success"),
];

const targetCases: Case[] = [
  {
    name: "off-site target",
    via: "strict",
    send: () => [`${a.origin}/ok`, "https://elsewhere.example/"],
    expect: 33,
  },
  {
    name: "unpublished target",
    via: "strict",
    send: () => [`${a.origin}/ok`, "https://site.example/drafts/secret/"],
    expect: 32,
  },
  { name: "page not enabled", via: "strict", send: () => [`${a.origin}/ok`, DISABLED], expect: 33 },
  {
    name: "target with a query",
    via: "strict",
    send: () => [`${a.origin}/ok`, `${TARGET}?p=1`],
    expect: 32,
  },
  {
    name: "javascript: target",
    via: "strict",
    send: () => [`${a.origin}/ok`, "javascript:alert(1)"],
    expect: 32,
  },
  {
    name: "target with userinfo",
    via: "strict",
    send: () => [`${a.origin}/ok`, "https://u@site.example/posts/hello/"],
    expect: 32,
  },
  { name: "source equals target", via: "strict", send: () => [`${TARGET}#a`, TARGET], expect: 0 },
  {
    name: "source on the site itself",
    via: "strict",
    send: () => ["https://site.example/posts/second/", TARGET],
    expect: 0,
  },
];

for (const kase of [...xmlCases, ...uriCases, ...networkCases, ...targetCases]) {
  test(`hostile: ${kase.name}`, () => run(kase));
}

test("hostile: duplicates and near-duplicates answer 48 without a fetch", async () => {
  assert.equal((await ping(lo.endpoint, `${a.origin}/ok`, TARGET)).kind, "success");
  const connections = a.connections;
  const requests = a.requests.length;
  for (const [source, target] of [
    [`${a.origin}/ok`, TARGET],
    [`${a.origin}/ok#frag`, TARGET],
    [`${a.origin}/ok`, `${TARGET}#comments`],
    [`${a.origin}/ok`, "https://site.example/posts/hello"],
    [`${a.origin}/ok`, "https://SITE.example:443/posts/hello/index.html"],
    [`${a.origin}/./ok`, TARGET],
  ] as const) {
    const answer = await ping(lo.endpoint, source, target);
    assert.equal(answer.kind === "fault" && answer.code, 48, `${source} → ${target}`);
  }
  assert.equal(a.requests.length, requests);
  assert.ok(a.connections <= connections + 1); // keep-alive may reconnect, never fetch
  assert.equal(lo.store.list().filter((r) => r.source === `${a.origin}/ok`).length, 1);
});

test("hostile: the DNS case really resolved twice, and only the allowed answer was dialled", () => {
  assert.equal(rebindLookups, 2);
  assert.ok(a.requests.some((r) => r.path === "/rebind"));
  assert.equal(b?.connections ?? 0, 0);
});

test("hostile: a slow-drip body is cut off at the deadline", async () => {
  const url = new URL(strict.endpoint);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = "";
    const drip = setInterval(() => socket.writable && socket.write(" "), 100);
    socket.on("data", (chunk) => {
      data += chunk;
      clearInterval(drip); // answered: stop writing into a connection being closed
    });
    socket.on("close", () => {
      clearInterval(drip);
      resolve(data);
    });
    // A drip byte already in flight when the server closes draws a reset; what was
    // answered before it still counts (the assertions below check it).
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" && data !== "" ? resolve(data) : reject(error),
    );
    socket.write(`POST /xmlrpc HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n<?xml`);
  });
  assert.match(answer, /^HTTP\/1\.1 200/);
  assert.match(answer, /<name>faultCode<\/name><value><int>-32700<\/int>/);
});

test("hostile: GET on the endpoint is refused; form-encoded senders are accepted", async () => {
  assert.equal((await fetch(strict.endpoint)).status, 405);
  const answer = await postRaw(strict.endpoint, pingXml(`http://127.0.0.1:${a.port}/ok`, TARGET), {
    "content-type": "application/x-www-form-urlencoded",
  });
  assert.equal(answer.kind === "fault" && answer.code, 16);
});

test("hostile: rate limits answer 49 with Retry-After and fetch nothing", async () => {
  const limited = await startReceiver(
    tmp.dir,
    {
      allowPrivateNetworks: ["127.0.0.1/32"],
      perClient: { capacity: 2, refillPerSecond: 0.001 },
      perSourceHost: { capacity: 1, refillPerSecond: 0.001 },
      connectTimeoutMs: 100,
    },
    "limited",
  );
  try {
    const before = a.requests.length;
    assert.equal((await ping(limited.endpoint, `${a.origin}/ok`, TARGET)).kind, "success");
    const byHost = await ping(limited.endpoint, `${a.origin}/ok?2`, TARGET);
    assert.equal(byHost.kind === "fault" && byHost.code, 49);
    assert.ok(Number(byHost.headers.get("retry-after")) >= 1);
    const byClient = await ping(limited.endpoint, `http://localhost:${a.port}/ok`, TARGET);
    assert.equal(byClient.kind === "fault" && byClient.code, 49);
    assert.equal(a.requests.length, before + 1);
  } finally {
    await limited.close();
  }
});
