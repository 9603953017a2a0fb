import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { encodePingbackPing, parseMethodResponse } from "@static-pingback/core/xmlrpc";
import { addressKey, siteKey } from "../src/limits/rate-keys.ts";
import type { ReceiverOptions } from "../src/options.ts";
import { createReceiver } from "../src/receiver.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import {
  html,
  MANIFEST,
  page,
  ping,
  type SourceServer,
  startReceiver,
  startSourceServer,
  TARGET,
  tempDir,
} from "./helpers.ts";
import { testLookup } from "./test-dns.ts";

/**
 * Rate limits are keyed by what an attacker cannot multiply cheaply: the
 * registrable domain and the resolved address of every hop, IPv6 clients by
 * /64, and verifications in flight per client. Every name resolves to
 * loopback through an injected resolver; nothing leaves the machine.
 */

const tmp = tempDir();
let source: SourceServer;
const loose = { capacity: 1000, refillPerSecond: 100 };
// Refills too slowly to matter during a test.
const five = { capacity: 5, refillPerSecond: 0.0001 };

before(async () => {
  source = await startSourceServer();
  source.route("/post", page(html(`<a href="${TARGET}">a link</a>`)));
  source.route("/to-two", (_req, res) => {
    res.writeHead(302, { location: `http://two.test:${source.port}/post` }).end();
  });
});
after(async () => {
  await source.close();
  tmp.remove();
});

const fetchesFrom = (suffix: string) =>
  source.requests.filter((r) => (r.headers.host ?? "").split(":")[0]?.endsWith(suffix)).length;

async function flood(name: string, options: Partial<ReceiverOptions>, hosts: string[]) {
  const rx = await startReceiver(
    tmp.dir,
    {
      allowPrivateNetworks: ["127.0.0.1/32"],
      perClient: loose,
      maxVerificationsPerClient: 100,
      answerDeadlineMs: 2900,
      ...options,
    },
    name,
  );
  const answers: Array<number | "success"> = [];
  try {
    for (const host of hosts) {
      const answer = await ping(rx.endpoint, `http://${host}:${source.port}/post`, TARGET);
      answers.push(answer.kind === "fault" ? answer.code : "success");
    }
  } finally {
    await rx.close();
  }
  return answers;
}

test("keys: registrable domain, IPv6 by /64, IPv4-mapped as IPv4", () => {
  assert.equal(siteKey("h1.attacker.test"), "attacker.test");
  assert.equal(siteKey("A.B.Example.CO.UK."), "example.co.uk");
  assert.equal(siteKey("alice.github.io"), "alice.github.io");
  assert.equal(siteKey("127.0.0.1"), "127.0.0.1");
  assert.equal(siteKey("[2001:db8::1]"), "2001:db8:0:0::/64");
  assert.equal(addressKey("2001:db8::1"), addressKey("2001:0db8:0000:0000:ffff:1:2:3"));
  assert.notEqual(addressKey("2001:db8::1"), addressKey("2001:db8:0:1::1"));
  assert.equal(addressKey("::ffff:192.0.2.7"), "192.0.2.7");
  assert.equal(addressKey("unknown"), "unknown");
});

test("wildcard DNS: 20 names under one domain are one bucket (5 fetches, not 20)", async () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `h${i}.attacker.test`);
  const answers = await flood(
    "wildcard",
    { perSourceHost: five, perSourceAddress: loose, lookup: testLookup({ "*.test": "127.0.0.1" }) },
    hosts,
  );
  assert.equal(fetchesFrom(".attacker.test"), 5);
  assert.deepEqual(answers.slice(5), Array(15).fill(49));
});

test("20 domains on one address share the address bucket (5 fetches, not 20)", async () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `d${i}.other`);
  const answers = await flood(
    "one-address",
    {
      perSourceHost: loose,
      perSourceAddress: five,
      lookup: testLookup({ "*.other": "127.0.0.1" }),
    },
    hosts,
  );
  assert.equal(fetchesFrom(".other"), 5);
  assert.equal(answers.filter((a) => a === 49).length, 15);
});

test("a redirect hop is charged to its own domain: the second redirect to it is refused", async () => {
  const rx = await startReceiver(
    tmp.dir,
    {
      allowPrivateNetworks: ["127.0.0.1/32"],
      perClient: loose,
      perSourceAddress: loose,
      perSourceHost: { capacity: 1, refillPerSecond: 0.0001 },
      lookup: testLookup({ "*.test": "127.0.0.1" }),
    },
    "hops",
  );
  try {
    const first = await ping(rx.endpoint, `http://one.test:${source.port}/to-two`, TARGET);
    assert.equal(first.kind, "success");
    const second = await ping(rx.endpoint, `http://three.test:${source.port}/to-two`, TARGET);
    assert.equal(second.kind === "fault" && second.code, 49);
    assert.ok(Number(second.headers.get("retry-after")) >= 1);
    assert.equal(fetchesFrom("two.test"), 1);
  } finally {
    await rx.close();
  }
});

/** A Fetch-API receiver whose sources answer only when released, to hold verifications open. */
function heldReceiver(options: Partial<ReceiverOptions>) {
  const manifest = join(tmp.dir, `held-${Math.random()}.json`);
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const releases: Array<() => void> = [];
  let fetches = 0;
  const store = new SqlitePingbackStore(":memory:");
  const receiver = createReceiver({
    site: MANIFEST.site,
    manifest,
    store,
    answerDeadlineMs: 100,
    perSourceHost: loose,
    perSourceAddress: loose,
    fetchSource: (url) => {
      fetches++;
      return new Promise((resolve) => {
        releases.push(() =>
          resolve({
            ok: true,
            source: {
              url,
              contentType: "text/html",
              body: new TextEncoder().encode(`<a href="${TARGET}">x</a>`),
            },
          }),
        );
      });
    },
    ...options,
  });
  const call = async (sourceUrl: string, clientAddress: string) => {
    const response = await receiver(
      new Request("https://pings.example/xmlrpc", {
        method: "POST",
        body: encodePingbackPing(sourceUrl, TARGET),
      }),
      { clientAddress },
    );
    const decoded = parseMethodResponse(await response.text());
    return decoded.kind === "fault" ? decoded.faultCode : "success";
  };
  return {
    call,
    fetches: () => fetches,
    close: async () => {
      for (const release of releases) release();
      await receiver.close();
      store.close();
    },
  };
}

test("IPv6 clients are one client per /64", async () => {
  const rx = heldReceiver({
    perClient: { capacity: 3, refillPerSecond: 0.0001 },
    maxVerificationsPerClient: 100,
  });
  try {
    const answers = [];
    for (let i = 1; i <= 6; i++) {
      answers.push(await rx.call(`https://blog${i}.example/p`, `2001:db8:1:2::${i.toString(16)}`));
    }
    // Another /64 has its own bucket.
    answers.push(await rx.call("https://blog7.example/p", "2001:db8:1:3::1"));
    assert.deepEqual(answers, ["success", "success", "success", 49, 49, 49, "success"]);
  } finally {
    await rx.close();
  }
});

test("one client has at most maxVerificationsPerClient verifications in flight", async () => {
  const rx = heldReceiver({ perClient: loose, maxVerificationsPerClient: 2 });
  try {
    const answers = [];
    for (let i = 1; i <= 4; i++)
      answers.push(await rx.call(`https://c${i}.example/p`, "192.0.2.1"));
    // The first two are queued (held), so they still count; the others are refused unfetched.
    assert.deepEqual(answers, ["success", "success", 49, 49]);
    assert.equal(rx.fetches(), 2);
    // Another client is not held back by this one.
    assert.equal(await rx.call("https://c5.example/p", "192.0.2.2"), "success");
  } finally {
    await rx.close();
  }
});
