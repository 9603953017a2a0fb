import { PINGBACK_FAULTS } from "@static-pingback/core/xmlrpc";
import { AdminRoute } from "./admin/admin-route.ts";
import { CORS_HEADERS, ExportCache, handleExport } from "./export/export-route.ts";
import { HostRules } from "./hosts/host-rules.ts";
import type { ReceiverRequest, ReceiverResponse } from "./http/types.ts";
import { handleWebmention, statusResponse } from "./http/webmention-route.ts";
import { faultResponse, handleXmlRpc } from "./http/xmlrpc-route.ts";
import { ManifestSource } from "./manifest/manifest-source.ts";
import type { SiteIndex } from "./manifest/site-index.ts";
import { PendingWebhook } from "./notify/pending-webhook.ts";
import { type ReceiverOptions, resolveReceiverOptions } from "./options.ts";
import { createGuardedFetcher } from "./ping/fetch-source.ts";
import { HopResolver } from "./ping/hop-resolver.ts";
import { PingProcessor } from "./ping/process-ping.ts";
import { RebuildHook } from "./rebuild-hook.ts";

/** Extra facts a platform knows about the request, such as the client's IP. */
export interface RequestContext {
  clientAddress?: string;
}

/** A Fetch-API handler with the receiver's lifecycle attached. */
export interface Receiver {
  (request: Request, context?: RequestContext): Promise<Response>;
  /** The same, on the runtime-neutral request shape (used by the Node server). */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
  /** Loads the manifest and resumes queued verifications; called by the first request otherwise. */
  ready(): Promise<void>;
  /** Waits until background verifications have finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops refreshing, lets background work finish, flushes the rebuild hook, closes the client. */
  close(): Promise<void>;
  readonly stats: () => Record<string, unknown>;
}

function text(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): ReceiverResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, body };
}

/**
 * Creates the receiver. Routes: `POST {path}` (XML-RPC pingback.ping),
 * `POST {webmentionPath}` (Webmention) and `GET {webmentionPath}/status/{key}`,
 * `GET {exportPath}` (approved mentions as JF2), `GET {healthPath}`.
 */
export function createReceiver(input: ReceiverOptions): Receiver {
  const options = resolveReceiverOptions(input);
  const { store, log } = options;
  const manifest =
    typeof options.manifest === "string"
      ? new ManifestSource({
          location: options.manifest,
          site: options.site,
          refreshMs: options.manifestRefreshMs,
          onError: (error) => log({ event: "manifest-error", message: error.message }),
        })
      : options.manifest;
  const hopResolver = new HopResolver(options.resolve);
  const guarded = options.fetchSource
    ? undefined
    : createGuardedFetcher({
        site: options.site,
        allowPrivateNetworks: options.allowPrivateNetworks,
        timeoutMs: options.sourceTimeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
        maxBytes: options.maxSourceBytes,
        maxDecodedBytes: options.maxDecodedSourceBytes,
        maxRedirects: options.maxRedirects,
        lookup: hopResolver.lookup,
      });
  const hook = options.rebuildHook
    ? new RebuildHook(options.rebuildHook.url, options.rebuildHook.debounceMs, (error) =>
        log({ event: "rebuild-hook-error", message: error.message }),
      )
    : undefined;
  const site = (): SiteIndex | undefined => (manifest.loaded ? manifest.index : undefined);
  const hosts = new HostRules(store, {
    trusted: options.trusted,
    blocked: options.blocked,
    blocklists: options.blocklists,
    learnTrustAfter: options.learnTrustAfter,
    refreshMs: 60_000,
    onError: (error) => log({ event: "host-rules-error", message: error.message }),
  });
  const processor = new PingProcessor({
    hosts,
    options,
    site,
    store,
    fetchSource:
      options.fetchSource ?? (guarded?.fetchSource as NonNullable<typeof guarded>["fetchSource"]),
    resolveHop: (hostname) => hopResolver.resolve(hostname),
    onApproved: () => hook?.trigger(),
  });

  // Failed verifications expire, and declined mentions when the owner says so; the
  // first sweep runs at start, then hourly.
  let pruneTimer: NodeJS.Timeout | undefined;
  const sweep = async (
    retentionMs: number,
    run: ((before: string) => number | Promise<number>) | undefined,
    event: string,
  ): Promise<void> => {
    if (retentionMs === 0 || !run) return;
    try {
      const count = await run(new Date(Date.now() - retentionMs).toISOString());
      if (count > 0) log({ event, count });
    } catch (error) {
      log({ event: "prune-error", message: (error as Error).message });
    }
  };
  const prune = async (): Promise<void> => {
    await sweep(options.failedRetentionMs, store.pruneFailed?.bind(store), "pruned-failed");
    await sweep(options.declinedRetentionMs, store.pruneDeclined?.bind(store), "pruned-declined");
  };
  const startPruning = async (): Promise<void> => {
    await prune();
    pruneTimer = setInterval(() => void prune(), 3600_000);
    pruneTimer.unref();
  };

  const exportCache = new ExportCache();
  const admin = options.admin ? new AdminRoute(options.admin, store, hosts) : undefined;
  const webhook = options.webhook
    ? new PendingWebhook(options.webhook, store, (error) =>
        log({ event: "webhook-error", message: error.message }),
      )
    : undefined;
  const statusPrefix = `${options.webmentionPath.replace(/\/$/, "")}/status/`;
  let starting: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    starting ??= (async () => {
      await manifest.load();
      manifest.start();
      await hosts.start();
      await startPruning();
      await webhook?.start();
      processor.resumeQueued().then(
        (count) => count > 0 && log({ event: "resumed", count }),
        (error: Error) => log({ event: "resume-error", message: error.message }),
      );
    })().catch((error: Error) => {
      // One load attempt per manifestRetryMs however many requests arrive meanwhile:
      // a flood must not turn into a flood of manifest fetches against our own site.
      log({ event: "manifest-error", message: error.message });
      setTimeout(() => {
        starting = undefined;
      }, options.manifestRetryMs).unref();
      throw error;
    });
    return starting;
  };

  const handle = async (request: ReceiverRequest): Promise<ReceiverResponse> => {
    // The owner can moderate even while the manifest cannot be loaded.
    if (admin?.matches(request.url.pathname)) return admin.handle(request);
    try {
      await ready();
    } catch {
      if (request.url.pathname === options.path) {
        return faultResponse(
          PINGBACK_FAULTS.generic,
          "The receiver is not ready; try again later.",
        );
      }
      return text(503, "pingback receiver: manifest not loaded\n", { "retry-after": "5" });
    }
    const path = request.url.pathname;
    if (path === options.webmentionPath) {
      return handleWebmention(request, {
        maxRequestBytes: options.maxRequestBytes,
        requestBodyTimeoutMs: options.requestBodyTimeoutMs,
        mention: (source, target, client) => processor.webmention(source, target, client),
        onError: (error) => log({ event: "ping-error", message: error.message }),
        onRefused: (reason) =>
          log({
            event: "refused",
            level: "info",
            status: 400,
            reason,
            client: request.clientAddress,
          }),
      });
    }
    if (path.startsWith(statusPrefix) && (request.method === "GET" || request.method === "HEAD")) {
      const key = path.slice(statusPrefix.length);
      const row = /^[\w-]{16,64}$/.test(key) ? await store.findByStatusKey(key) : undefined;
      const response = statusResponse(row, row ? processor.isRechecking(row.id) : false);
      return request.method === "HEAD" ? { ...response, body: "" } : response;
    }
    if (path === options.path) {
      return handleXmlRpc(request, {
        maxRequestBytes: options.maxRequestBytes,
        requestBodyTimeoutMs: options.requestBodyTimeoutMs,
        ping: (source, target, client) => processor.ping(source, target, client),
        onError: (error) => log({ event: "ping-error", message: error.message }),
        onRefused: (fault, reason) =>
          log({ event: "refused", level: "info", fault, reason, client: request.clientAddress }),
      });
    }
    if (path === options.exportPath) {
      if (request.method === "OPTIONS")
        return { status: 204, headers: { ...CORS_HEADERS }, body: "" };
      if (request.method !== "GET" && request.method !== "HEAD") {
        return text(405, "GET only\n", { allow: "GET, HEAD, OPTIONS" });
      }
      const response = await handleExport(request, store, site(), exportCache);
      return request.method === "HEAD" ? { ...response, body: "" } : response;
    }
    if (path === options.healthPath) {
      const index = site();
      return {
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
        body: `${JSON.stringify({ ok: true, pages: index?.pageCount ?? 0, manifestGeneratedAt: index?.generatedAt ?? null })}\n`,
      };
    }
    return text(404, "not found\n");
  };

  const receiver = (async (request: Request, context: RequestContext = {}) => {
    const response = await handle({
      method: request.method,
      url: new URL(request.url),
      header: (name) => request.headers.get(name),
      body: request.body as AsyncIterable<Uint8Array> | null,
      clientAddress: context.clientAddress ?? "unknown",
    });
    const nullBody =
      response.status === 204 || response.status === 304 || response.body.length === 0;
    return new Response(
      nullBody ? null : (response.body as ConstructorParameters<typeof Response>[0]),
      {
        status: response.status,
        headers: response.headers,
      },
    );
  }) as Receiver;
  receiver.handle = handle;
  receiver.ready = ready;
  receiver.idle = () => processor.idle();
  receiver.close = async () => {
    manifest.stop();
    hosts.stop();
    clearInterval(pruneTimer);
    processor.close();
    await processor.idle();
    await hook?.flush();
    await webhook?.stop();
    await guarded?.client.close();
  };
  Object.defineProperty(receiver, "stats", { value: () => processor.stats });
  return receiver;
}
