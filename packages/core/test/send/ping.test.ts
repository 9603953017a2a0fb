import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createHttpClient } from "../../src/net/index.ts";
import { sendPing } from "../../src/send/index.ts";
import { encodeFault, encodeMethodResponse, parseMethodCall } from "../../src/xmlrpc/index.ts";
import { type Loopback, startLoopback } from "../net/loopback.ts";

const SOURCE = "https://me.example/posts/a/";
const TARGET = "https://you.example/b?x=1&y=2";

describe("sendPing classifies every answer", () => {
  let peer: Loopback;
  before(async () => {
    peer = await startLoopback((req, res) => {
      const path = req.url ?? "/";
      const xml = (status: number, body: string) => {
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(body);
      };
      const fault = /^\/fault\/(-?\d+)$/.exec(path);
      if (path === "/ok") xml(200, encodeMethodResponse("Pingback from me.example registered."));
      else if (fault) xml(200, encodeFault(Number(fault[1]), `fault ${fault[1]} text`));
      else if (path === "/escape") xml(200, encodeFault(17, "no link\u009b2J \u202eereh"));
      else if (path === "/rate-limited") {
        // Our own receiver's answer when a client is over its rate limit.
        res.writeHead(200, { "content-type": "text/xml", "retry-after": "30" });
        res.end(encodeFault(49, "Too many pingbacks; retry later"));
      } else if (path === "/wm-401")
        xml(401, encodeFault(0, "Pingbacks are not enabled for this account"));
      else if (path === "/http-401") res.writeHead(401).end("no");
      else if (path === "/http-429") res.writeHead(429).end("slow down");
      else if (path === "/http-500")
        res.writeHead(500, { "content-type": "text/html" }).end("<html><body>Oops</body></html>");
      else if (path === "/html-200")
        res
          .writeHead(200, { "content-type": "text/html" })
          .end("<!DOCTYPE html><html><body>Hello</body></html>");
      else if (path === "/empty-200") res.writeHead(200).end();
      else if (path === "/bomb") {
        xml(
          200,
          `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><methodResponse><params><param><value>&c;</value></param></params></methodResponse>`,
        );
      } else if (path === "/two-roots") xml(200, `${encodeMethodResponse("a")}<methodResponse/>`);
      else if (path === "/huge-string")
        xml(200, encodeMethodResponse("x".repeat(10 * 1024 * 1024)));
      else if (path === "/no-fault-string") {
        xml(
          200,
          "<methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>0</i4></value></member></struct></value></fault></methodResponse>",
        );
      } else res.writeHead(404).end();
    });
  });
  after(() => peer.close());
  const client = createHttpClient({ allowPrivateNetworks: ["127.0.0.1/32"], timeoutMs: 3_000 });
  after(() => client.close());
  const ping = (path: string) => sendPing(client, `${peer.url}${path}`, SOURCE, TARGET);

  it("sends a well-formed pingback.ping and reads the success string", async () => {
    const before = peer.requests.length;
    const result = await ping("/ok");
    assert.equal(result.status, "sent");
    assert.equal(result.message, "Pingback from me.example registered.");
    const request = peer.requests[before];
    assert.equal(request?.method, "POST");
    assert.match(String(request?.headers["content-type"]), /^text\/xml/);
    assert.match(String(request?.headers["user-agent"]), /^static-pingback\//);
    assert.deepEqual(parseMethodCall(request?.body ?? ""), {
      methodName: "pingback.ping",
      params: [SOURCE, TARGET],
    });
  });

  const faults: [number, string][] = [
    [0, "failed"],
    [16, "rejected"],
    [17, "rejected"],
    [32, "rejected"],
    [33, "rejected"],
    [48, "already-registered"],
    [49, "rejected"],
    [50, "failed"],
    [429, "failed"],
    [-32601, "rejected"],
  ];
  for (const [code, status] of faults) {
    it(`fault ${code} → ${status}`, async () => {
      const result = await ping(`/fault/${code}`);
      assert.equal(result.status, status);
      assert.equal(result.faultCode, code);
      assert.equal(result.message, `fault ${code} text`);
      if (code === 429) assert.ok((result.retryAfterMs ?? 0) >= 15_000);
    });
  }

  it("keeps terminal control characters out of the recorded message", async () => {
    const result = await ping("/escape");
    assert.equal(result.status, "rejected");
    // XML cannot carry C0 controls, but C1 (U+009B is an 8-bit CSI: "2J" clears the
    // screen) and bidi overrides it can.
    assert.equal(result.message, "no link ereh");
  });

  it("fault 49 with Retry-After is a rate limit to wait out, not a refusal", async () => {
    const result = await ping("/rate-limited");
    assert.equal(result.status, "failed");
    assert.equal(result.faultCode, 49);
    assert.equal(result.retryAfterMs, 30_000);
  });

  it("fault without faultString keeps code 0 and says so", async () => {
    const result = await ping("/no-fault-string");
    assert.equal(result.status, "failed");
    assert.equal(result.faultCode, 0);
    assert.equal(result.message, "fault 0");
  });

  it("webmention.io's HTTP 401 with fault 0 is permanent", async () => {
    const result = await ping("/wm-401");
    assert.equal(result.status, "rejected");
    assert.equal(result.httpStatus, 401);
    assert.equal(result.faultCode, 0);
    assert.match(result.message, /not enabled/);
  });

  it("HTTP 401 → rejected, 429 and 500 → failed, 404 → rejected", async () => {
    assert.equal((await ping("/http-401")).status, "rejected");
    const slow = await ping("/http-429");
    assert.equal(slow.status, "failed");
    assert.equal(slow.httpStatus, 429);
    assert.equal((await ping("/http-500")).status, "failed");
    assert.equal((await ping("/nowhere")).status, "rejected");
  });

  it("malformed and hostile responses are transient failures, never successes", async () => {
    for (const path of ["/html-200", "/empty-200", "/bomb", "/two-roots", "/huge-string"]) {
      const result = await ping(path);
      assert.equal(result.status, "failed", path);
      assert.ok(result.message.length <= 500, path);
    }
    assert.match((await ping("/bomb")).message, /DOCTYPE/);
    assert.match((await ping("/huge-string")).message, /exceeds/);
    assert.match((await ping("/html-200")).message, /HTML/);
  });

  it("an unreachable endpoint is a transient failure, a blocked one permanent", async () => {
    const closed = await startLoopback(() => {});
    await closed.close();
    assert.equal((await sendPing(client, `${closed.url}/`, SOURCE, TARGET)).status, "failed");
    const strict = createHttpClient();
    const blocked = await sendPing(strict, "http://169.254.169.254/latest/", SOURCE, TARGET);
    assert.equal(blocked.status, "rejected");
    assert.match(blocked.message, /cloud-metadata/);
    await strict.close();
  });
});
