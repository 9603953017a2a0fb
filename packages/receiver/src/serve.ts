import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type RunningServer, startNodeServer } from "./node-server.ts";
import type { ReceiverEvent, ReceiverOptions } from "./options.ts";
import { createReceiver } from "./receiver.ts";
import { SqlitePingbackStore } from "./store/sqlite-store.ts";

/** What `static-pingback serve` needs; everything else has the receiver's defaults. */
export interface ServeOptions
  extends Omit<ReceiverOptions, "store" | "manifest" | "site" | "fetchSource"> {
  site: string;
  /** Manifest file path or published URL. */
  manifest: string;
  /** SQLite database file (created if missing). */
  db: string;
  port: number;
  host?: string;
  /** See NodeServerOptions.clientAddressHeader. */
  clientAddressHeader?: string;
  /** See SqliteStoreOptions.durability. Default "full". */
  durability?: "full" | "normal";
}

export interface ServeHandle extends RunningServer {
  store: SqlitePingbackStore;
}

/** Opens the store, creates the receiver and listens; `close()` shuts all down gracefully. */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const { db, port, host, clientAddressHeader, durability, ...receiverOptions } = options;
  if (db !== ":memory:") mkdirSync(dirname(db), { recursive: true });
  const store = new SqlitePingbackStore(db, { durability });
  try {
    const receiver = createReceiver({ ...receiverOptions, store });
    const running = await startNodeServer(receiver, { port, host, clientAddressHeader });
    return {
      ...running,
      store,
      close: async () => {
        await running.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** One JSON line per event on stderr: easy to grep, easy to ship to a log store. */
export function jsonLineLogger(stream: NodeJS.WritableStream = process.stderr) {
  return (event: ReceiverEvent): void => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
  };
}

/**
 * SIGINT/SIGTERM stop accepting, finish in-flight requests and background
 * verifications, then exit. A second signal exits at once (queued pings are
 * already durable and resume on the next start).
 */
export function closeOnSignals(handle: { close(): Promise<void> }, onClosed: () => void): void {
  let closing = false;
  const stop = () => {
    if (closing) process.exit(130);
    closing = true;
    void handle.close().then(onClosed, onClosed);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
