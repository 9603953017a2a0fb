import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Manifest } from "@static-pingback/core";
import { encodePingbackPing, parseMethodResponse } from "@static-pingback/core/xmlrpc";
import { startNodeServer } from "../src/node-server.ts";
import type { ReceiverOptions } from "../src/options.ts";
import { createReceiver, type Receiver } from "../src/receiver.ts";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";

export const SITE = "https://site.example/";
export const TARGET = "https://site.example/posts/hello/";
export const DISABLED = "https://site.example/about/";

/** A bucket no test of another concern runs out of. */
export const LOOSE_BUCKET = { capacity: 10_000, refillPerSecond: 100 };

/**
 * Rate limits out of the way, for tests of something else: all their traffic is one loopback
 * client pinging from one source host and address, which the real limits would soon refuse.
 */
export const LOOSE_LIMITS = {
  perClient: LOOSE_BUCKET,
  perSourceHost: LOOSE_BUCKET,
  perSourceAddress: LOOSE_BUCKET,
  maxVerificationsPerClient: 100,
} as const;

export const MANIFEST: Manifest = {
  version: 1,
  site: SITE,
  endpoint: "https://pings.example/xmlrpc",
  generatedAt: "2026-01-01T00:00:00.000Z",
  pages: {
    [TARGET]: { pingback: true, links: [] },
    "https://site.example/posts/second/": { pingback: true, links: [] },
    [DISABLED]: { pingback: false, links: [] },
  },
};

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sp-receiver-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback HTTP server that counts every TCP connection it accepts. */
export interface SourceServer {
  origin: string;
  port: number;
  connections: number;
  requests: Array<{ path: string; headers: IncomingMessage["headers"] }>;
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

export async function startSourceServer(host = "127.0.0.1"): Promise<SourceServer> {
  const routes = new Map<string, Route>();
  const sockets = new Set<Socket>();
  const state: SourceServer = {
    origin: "",
    port: 0,
    connections: 0,
    requests: [],
    route: (path, handler) => routes.set(path, handler),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    state.requests.push({ path: req.url ?? "", headers: req.headers });
    const handler = routes.get(new URL(req.url ?? "/", "http://x").pathname);
    if (handler) handler(req, res);
    else {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<p>not found</p>");
    }
  });
  server.on("connection", (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://${host.includes(":") ? `[${host}]` : host}:${state.port}`;
  return state;
}

export function html(body: string, title = "A citing post"): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

export function page(body: string, type = "text/html; charset=utf-8"): Route {
  return (_req, res) => {
    res.writeHead(200, { "content-type": type });
    res.end(body);
  };
}

export interface TestReceiver {
  receiver: Receiver;
  origin: string;
  endpoint: string;
  store: SqlitePingbackStore;
  dbPath: string;
  close(): Promise<void>;
}

export async function startReceiver(
  dir: string,
  options: Partial<ReceiverOptions> = {},
  name = "receiver",
): Promise<TestReceiver> {
  const manifestPath = join(dir, `${name}-manifest.json`);
  writeFileSync(manifestPath, JSON.stringify(MANIFEST));
  const dbPath = join(dir, `${name}.db`);
  const store = new SqlitePingbackStore(dbPath, { durability: "normal" });
  const receiver = createReceiver({
    site: SITE,
    manifest: manifestPath,
    store,
    connectTimeoutMs: 200,
    ...options,
  });
  const running = await startNodeServer(receiver, { port: 0 });
  return {
    receiver,
    origin: running.origin,
    endpoint: `${running.origin}/xmlrpc`,
    store,
    dbPath,
    close: async () => {
      await running.close();
      store.close();
    },
  };
}

export type Answer =
  | { kind: "success"; value: unknown }
  | { kind: "fault"; code: number; message: string };

/** Posts raw bytes to the endpoint and decodes the XML-RPC answer (HTTP status must be 200). */
export async function postRaw(
  endpoint: string,
  body: string | Uint8Array,
  headers: Record<string, string> = { "content-type": "text/xml" },
): Promise<Answer & { status: number; headers: Headers }> {
  const response = await fetch(endpoint, { method: "POST", body, headers });
  const text = await response.text();
  const decoded = parseMethodResponse(text);
  const answer: Answer =
    decoded.kind === "success"
      ? { kind: "success", value: decoded.value }
      : { kind: "fault", code: decoded.faultCode, message: decoded.faultString };
  return { ...answer, status: response.status, headers: response.headers };
}

export function ping(endpoint: string, source: string, target: string) {
  return postRaw(endpoint, encodePingbackPing(source, target));
}

/**
 * Python's xmlrpc.client as an independent client: calls `method` with string
 * arguments and returns the result or the fault code.
 */
export function pythonCall(
  endpoint: string,
  method: string,
  args: readonly string[],
): Promise<{ result?: string; fault?: number }> {
  const script = `
import json, sys, xmlrpc.client
proxy = xmlrpc.client.ServerProxy(sys.argv[1])
try:
    print(json.dumps({"result": getattr(proxy, sys.argv[2])(*sys.argv[3:])}))
except xmlrpc.client.Fault as fault:
    print(json.dumps({"fault": fault.faultCode}))
`;
  return new Promise((resolve, reject) => {
    execFile("python3", ["-c", script, endpoint, method, ...args], (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout));
    });
  });
}

export function pythonPing(endpoint: string, source: string, target: string) {
  return pythonCall(endpoint, "pingback.ping", [source, target]);
}
