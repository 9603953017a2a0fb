import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, isIP, type Socket } from "node:net";
import type { ReceiverRequest } from "./http/types.ts";
import type { Receiver } from "./receiver.ts";

export interface NodeServerOptions {
  port: number;
  /** Default "127.0.0.1"; use "::" or "0.0.0.0" behind a proxy or to serve the internet. */
  host?: string;
  /** Time allowed for in-flight requests on shutdown, ms. Default 5000. */
  shutdownGraceMs?: number;
  /**
   * Behind a reverse proxy: the header it sets with the client's address
   * (e.g. "x-forwarded-for"). The rightmost value is used, the one the proxy
   * appended; anything a client sent itself stays to its left. Without this,
   * every client would share the proxy's rate-limit bucket.
   */
  clientAddressHeader?: string;
  /** Open connections at once; more are closed on arrival. Default 1024. */
  maxConnections?: number;
  /**
   * Open connections from one peer address; more are closed on arrival. Default 128.
   * Not applied behind a proxy (`clientAddressHeader`), where every peer is the proxy.
   */
  maxConnectionsPerClient?: number;
  /**
   * An answer not fully sent after this long (a client that does not read) has its
   * connection closed, ms. Default 30 s.
   */
  writeTimeoutMs?: number;
}

/**
 * Slow or silent clients: headers must be complete within 5 s and the whole request
 * within 10 s (the body reader has its own 5 s deadline); Node checks every second.
 * A connection with no traffic for 20 s (longer than any answer takes) is closed.
 */
export const SOCKET_TIMEOUTS = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
  idleTimeout: 20_000,
} as const;

/** The rightmost address of a forwarding header, if it is an IP address. */
export function forwardedAddress(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(",") : value;
  const last = joined?.split(",").pop()?.trim();
  return last && isIP(last) ? last : undefined;
}

export interface RunningServer {
  server: Server;
  /** e.g. "http://127.0.0.1:8080" */
  origin: string;
  /** Stops accepting, finishes in-flight requests and background verifications, then closes. */
  close(): Promise<void>;
}

/** Only path and query are used, so the Host header (attacker-chosen) never matters. */
const BASE = "http://receiver.invalid";

/**
 * The request body as an async iterable with backpressure. Unlike the stream's
 * own iterator, stopping early only pauses it: destroying the request would
 * also destroy the socket the answer must still go out on.
 */
function bodyOf(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const queue: Buffer[] = [];
      let ended = false;
      let failure: Error | undefined;
      let wake: (() => void) | undefined;
      const notify = () => {
        const w = wake;
        wake = undefined;
        w?.();
      };
      req.on("data", (chunk: Buffer) => {
        queue.push(chunk);
        if (queue.length > 8) req.pause();
        notify();
      });
      req.on("end", () => {
        ended = true;
        notify();
      });
      req.on("error", (error) => {
        failure = error;
        notify();
      });
      req.on("close", () => {
        if (!req.complete) failure ??= new Error("request aborted");
        notify();
      });
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            const chunk = queue.shift();
            if (chunk) {
              if (queue.length < 2) req.resume();
              return { value: chunk, done: false };
            }
            if (failure) throw failure;
            if (ended) return { value: undefined, done: true };
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          req.pause();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

async function serve(
  receiver: Receiver,
  req: IncomingMessage,
  res: ServerResponse,
  clientAddressHeader: string | undefined,
  writeTimeoutMs: number,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", BASE);
  } catch {
    url = new URL("/", BASE);
  }
  const request: ReceiverRequest = {
    method: req.method ?? "GET",
    url,
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
    body: req.method === "POST" ? bodyOf(req) : null,
    clientAddress:
      (clientAddressHeader && forwardedAddress(req.headers[clientAddressHeader])) ||
      (req.socket.remoteAddress ?? "unknown"),
  };
  const response = await receiver.handle(request);
  if (!req.complete) response.headers.connection = "close";
  const { body } = response;
  res.writeHead(response.status, {
    ...response.headers,
    "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
  });
  // A client that does not read must not hold the answer (and its socket) for ever.
  const stalled = setTimeout(() => req.socket.destroy(), writeTimeoutMs);
  res.once("close", () => clearTimeout(stalled));
  res.end(body, () => {
    // A body we refused to read is still on the wire: drop the connection.
    if (!req.complete) req.socket.destroy();
  });
}

/** Closes connections past the overall and per-peer caps as they arrive. */
function capConnections(server: Server, perClient: number | undefined): void {
  if (perClient === undefined) return;
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const peer = socket.remoteAddress ?? "unknown";
    const count = open.get(peer) ?? 0;
    if (count >= perClient) {
      socket.destroy();
      return;
    }
    open.set(peer, count + 1);
    socket.once("close", () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left > 0) open.set(peer, left);
      else open.delete(peer);
    });
  });
}

/** Runs a receiver as a Node HTTP server, with timeouts against slow clients. */
export async function startNodeServer(
  receiver: Receiver,
  options: NodeServerOptions,
): Promise<RunningServer> {
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  const clientAddressHeader = options.clientAddressHeader?.toLowerCase();
  const server = createServer(
    {
      requestTimeout: SOCKET_TIMEOUTS.requestTimeout,
      headersTimeout: SOCKET_TIMEOUTS.headersTimeout,
      keepAliveTimeout: SOCKET_TIMEOUTS.keepAliveTimeout,
      connectionsCheckingInterval: SOCKET_TIMEOUTS.connectionsCheckingInterval,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      serve(receiver, req, res, clientAddressHeader, writeTimeoutMs).catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("internal error\n");
      });
    },
  );
  server.maxHeadersCount = 64;
  server.maxConnections = options.maxConnections ?? 1024;
  server.timeout = SOCKET_TIMEOUTS.idleTimeout;
  capConnections(
    server,
    clientAddressHeader ? undefined : (options.maxConnectionsPerClient ?? 128),
  );
  await receiver.ready();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    origin: `http://${host}:${address.port}`,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(
          () => server.closeAllConnections(),
          options.shutdownGraceMs ?? 5000,
        );
        await closed;
        clearTimeout(grace);
        await receiver.close();
      })();
      return closing;
    },
  };
}
