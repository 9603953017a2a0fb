import assert from "node:assert/strict";
import { test } from "node:test";
import { ping, startReceiver, TARGET, tempDir } from "./helpers.ts";

test("the self-ping guard compares normalised host names: scheme, case and a trailing dot do not matter", async () => {
  const tmp = tempDir();
  const fetched: string[] = [];
  // Any fetch here would be a self-ping getting through: record it instead of touching a network.
  const rx = await startReceiver(tmp.dir, {
    fetchSource: async (url) => {
      fetched.push(url);
      return { ok: false, faultCode: 16 };
    },
  });
  try {
    for (const source of [
      "https://site.example/posts/second/",
      "http://site.example/posts/second/",
      "https://site.example./posts/second/",
      "http://SITE.EXAMPLE.:80/posts/second/",
    ]) {
      const answer = await ping(rx.endpoint, source, TARGET);
      assert.equal(
        answer.kind === "fault" && answer.message,
        "Pingbacks from this site to itself are not accepted.",
        source,
      );
    }
    assert.deepEqual(fetched, []);
    // Another host that merely starts or ends alike is not the site.
    await ping(rx.endpoint, "https://site.example.org/p", TARGET);
    await ping(rx.endpoint, "https://my-site.example/p", TARGET);
    // So is another port of the same host (two sites on one machine).
    await ping(rx.endpoint, "https://site.example:8080/posts/second/", TARGET);
    assert.equal(fetched.length, 3);
  } finally {
    await rx.close();
    tmp.remove();
  }
});
