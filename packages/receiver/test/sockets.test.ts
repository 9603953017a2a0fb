import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { ReceiverResponse } from "../src/http/types.ts";
import { type NodeServerOptions, SOCKET_TIMEOUTS, startNodeServer } from "../src/node-server.ts";
import type { Receiver } from "../src/receiver.ts";

/**
 * Socket hygiene of the Node server (issue 14, items 2 and 8): silent and slow
 * clients are closed by the header deadline, a client that never reads its
 * answer is closed by the write deadline, and connections are capped overall
 * and per peer address.
 */

/** A receiver that answers every request with `body`. */
function fixedReceiver(body: string | Uint8Array): Receiver {
  const answer: ReceiverResponse = { status: 200, headers: {}, body };
  return Object.assign(async () => new Response("unused"), {
    handle: async () => ({ ...answer, headers: {} }),
    ready: async () => {},
    idle: async () => {},
    close: async () => {},
    stats: () => ({}),
  }) as Receiver;
}

async function serve(body: string | Uint8Array, options: Partial<NodeServerOptions> = {}) {
  const running = await startNodeServer(fixedReceiver(body), { port: 0, ...options });
  const port = Number(new URL(running.origin).port);
  return { running, port };
}

/** Opens a connection, writes `first`, and resolves how it ended: "closed" or the bytes read. */
function open(port: number, first = ""): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.removeListener("error", reject);
      socket.on("error", () => {});
      let read = 0;
      socket.on("data", (chunk) => {
        read += chunk.length;
      });
      if (first) socket.write(first);
      const closed = new Promise<number>((done) => socket.once("close", () => done(read)));
      resolve({ socket, closed });
    });
  });
}

/** Whether `promise` settles before `ms` (a generous bound on a deadline, not a speed test). */
async function within<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true), late]);
  clearTimeout(timer);
  return result;
}

test("silent connections and half-sent headers are closed by the header deadline", async (t) => {
  const { running, port } = await serve("ok\n");
  try {
    // Well below the 30–37 s it took before, with room for a slow machine.
    const bound = 15_000;
    const started = performance.now();
    const silent = await open(port);
    const half = await open(port, "POST /xmlrpc HTTP/1.1\r\nhost: x\r\n");
    assert.equal(await within(silent.closed, bound), true, "silent connection closed");
    assert.equal(await within(half.closed, bound), true, "half-sent headers closed");
    t.diagnostic(`both closed after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await running.close();
  }
});

test("a client that never reads its answer is closed by the write deadline", async () => {
  // Larger than any socket buffer, so the answer cannot be handed to the kernel whole.
  const big = new Uint8Array(64 * 1024 * 1024);
  const { running, port } = await serve(big, { writeTimeoutMs: 300 });
  try {
    const stalled = await open(port, "GET /pingbacks.jf2 HTTP/1.1\r\nhost: x\r\n\r\n");
    stalled.socket.pause();
    // A paused socket sees no close; read again once the deadline has long passed.
    await sleep(2000);
    stalled.socket.resume();
    const read = await stalled.closed;
    assert.ok(read < big.byteLength, `${read} bytes read of ${big.byteLength}`);
  } finally {
    await running.close();
  }
});

test("connections are capped per peer address and overall", async () => {
  const perClient = await serve("ok\n", { maxConnectionsPerClient: 2 });
  try {
    const sockets = await Promise.all([1, 2, 3, 4].map(() => open(perClient.port)));
    const ended = await Promise.all(
      sockets.map(({ closed }) => within(closed, SOCKET_TIMEOUTS.connectionsCheckingInterval)),
    );
    assert.deepEqual(
      ended.filter(Boolean).length,
      2,
      "the third and fourth connections are closed on arrival",
    );
    for (const { socket } of sockets) socket.destroy();
  } finally {
    await perClient.running.close();
  }
  const overall = await serve("ok\n", { maxConnections: 3 });
  try {
    const sockets = await Promise.all([1, 2, 3, 4, 5].map(() => open(overall.port)));
    const ended = await Promise.all(
      sockets.map(({ closed }) => within(closed, SOCKET_TIMEOUTS.connectionsCheckingInterval)),
    );
    assert.equal(ended.filter(Boolean).length, 2);
    for (const { socket } of sockets) socket.destroy();
  } finally {
    await overall.running.close();
  }
});
