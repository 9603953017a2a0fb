import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import type { NewPingback } from "../src/store/types.ts";
import { startReceiver, TARGET, type TestReceiver, tempDir } from "./helpers.ts";

const SECRET = "webhook secret for the test";

/** The README's recipe, as a receiving end would run it. */
function verified(body: string, header: string | undefined): boolean {
  const expected = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  return (
    header !== undefined &&
    header.length === expected.length &&
    timingSafeEqual(Buffer.from(header), Buffer.from(expected))
  );
}

function mention(n: number, status: NewPingback["status"] = "pending"): NewPingback {
  return {
    source: `https://blog${n}.example/post`,
    target: TARGET,
    status,
    verification: "verified",
    clientIp: null,
    post: {
      title: `Post ${n}`,
      authorName: `Author ${n}`,
      authorUrl: null,
      published: null,
      lang: null,
      excerpt: null,
    },
  };
}

interface Call {
  body: string;
  signature: string | undefined;
}

describe("the webhook for new pending mentions", () => {
  const temp = tempDir();
  let hook: Server;
  let calls: Call[] = [];
  let failNext = false;
  let receiver: TestReceiver;
  const waitForCalls = async (count: number) => {
    for (let k = 0; k < 200 && calls.length < count; k++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  before(async () => {
    hook = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        if (failNext) {
          failNext = false;
          res.writeHead(500).end();
          return;
        }
        calls.push({ body, signature: req.headers["x-static-pingback-signature"] as string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    // Pending before the receiver starts: not announced.
    const earlier = new SqlitePingbackStore(join(temp.dir, "receiver.db"));
    earlier.insert(mention(0));
    earlier.close();
    receiver = await startReceiver(temp.dir, { webhook: { url, secret: SECRET, intervalMs: 50 } });
  });
  after(async () => {
    await receiver.close();
    await new Promise((resolve) => hook.close(resolve));
    temp.remove();
  });

  it("sends a burst as one batch, signed, and each mention once", async () => {
    for (const n of [1, 2, 3]) await receiver.store.insert(mention(n));
    await receiver.store.insert(mention(4, "approved"));
    await waitForCalls(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.ok(call && verified(call.body, call.signature), "the signature verifies");
    const payload = JSON.parse(call.body);
    assert.equal(payload.event, "mentions.pending");
    assert.deepEqual(
      payload.mentions.map((each: { source: string }) => each.source),
      ["https://blog1.example/post", "https://blog2.example/post", "https://blog3.example/post"],
    );
    assert.equal(payload.mentions[0].title, "Post 1");
    assert.ok(!verified(call.body.replace("Post 1", "Post 9"), call.signature), "tampering shows");
  });

  it("tries again after the hook failed, and sends the rest at shutdown", async () => {
    calls = [];
    failNext = true;
    await receiver.store.insert(mention(5));
    await waitForCalls(1);
    assert.equal(
      JSON.parse(calls[0]?.body ?? "{}").mentions[0].source,
      "https://blog5.example/post",
    );
    calls = [];
    await receiver.store.insert(mention(6));
    await receiver.close();
    assert.ok(calls.some((call) => call.body.includes("blog6.example")));
  });
});
