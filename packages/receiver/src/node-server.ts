import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, isIP } from "node:net";
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
}

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
  res.writeHead(response.status, {
    ...response.headers,
    "content-length": Buffer.byteLength(response.body),
  });
  res.end(response.body, () => {
    // A body we refused to read is still on the wire: drop the connection.
    if (!req.complete) req.socket.destroy();
  });
}

/** Runs a receiver as a Node HTTP server, with timeouts against slow clients. */
export async function startNodeServer(
  receiver: Receiver,
  options: NodeServerOptions,
): Promise<RunningServer> {
  const server = createServer(
    {
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      serve(receiver, req, res, options.clientAddressHeader?.toLowerCase()).catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("internal error\n");
      });
    },
  );
  server.maxHeadersCount = 64;
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
