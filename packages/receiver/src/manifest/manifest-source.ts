import { readFile, stat } from "node:fs/promises";
import type { Manifest } from "@static-pingback/core";
import { StaticPingbackError } from "@static-pingback/core";
import { SiteIndex } from "./site-index.ts";

/** Largest manifest accepted (a 50,000-page site is well under this). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export class ManifestLoadError extends StaticPingbackError {
  readonly code = "manifest-load";
  constructor(where: string, problem: string, options?: { cause?: unknown }) {
    super(`pingback manifest ${where}: ${problem}`, options);
    this.name = "ManifestLoadError";
  }
}

/**
 * Checks the parts of the manifest the receiver relies on; the full schema is core's
 * business. Deliberately not core's ajv validator: that reads its schema files from disk
 * beside core's code, which a bundled serverless deployment of the Fetch handler lacks.
 */
export function assertManifest(value: unknown, where: string): Manifest {
  const fail = (problem: string): never => {
    throw new ManifestLoadError(where, problem);
  };
  if (typeof value !== "object" || value === null) return fail("is not a JSON object");
  const m = value as Record<string, unknown>;
  if (m.version !== 1) fail(`has version ${JSON.stringify(m.version)}, expected 1`);
  if (typeof m.site !== "string") fail('has no "site" URL');
  try {
    new URL(m.site as string);
  } catch {
    fail(`has a "site" that is not an absolute URL: ${JSON.stringify(m.site)}`);
  }
  if (typeof m.pages !== "object" || m.pages === null || Array.isArray(m.pages)) {
    fail('has no "pages" object');
  }
  for (const [url, page] of Object.entries(m.pages as Record<string, unknown>)) {
    if (
      typeof page !== "object" ||
      page === null ||
      typeof (page as { pingback?: unknown }).pingback !== "boolean"
    ) {
      fail(`page ${url} has no boolean "pingback"`);
    }
  }
  return value as Manifest;
}

function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export interface ManifestSourceOptions {
  /** A file path, or the published manifest's http(s) URL. */
  location: string;
  /** The receiver's site URL; overrides the manifest's `site` when given. */
  site?: string;
  /** How often to reload, in ms; 0 disables refresh. */
  refreshMs: number;
  /** Deadline for fetching a manifest URL. */
  timeoutMs?: number;
  /** Largest manifest accepted, in bytes. Default 64 MiB. */
  maxBytes?: number;
  fetch?: typeof fetch;
  /** Called when a refresh fails; the previous manifest stays in use. */
  onError?: (error: Error) => void;
}

/**
 * Loads the manifest from a file or the published URL and keeps it fresh. A
 * failed refresh keeps the last good manifest: a deploy in progress must not
 * turn every ping into fault 32.
 */
export class ManifestSource {
  readonly #options: ManifestSourceOptions;
  #index: SiteIndex | undefined;
  #timer: NodeJS.Timeout | undefined;
  #fileStamp = "";

  constructor(options: ManifestSourceOptions) {
    this.#options = options;
  }

  /** The current site index; throws before the first successful load. */
  get index(): SiteIndex {
    if (!this.#index) throw new Error("the manifest has not been loaded yet");
    return this.#index;
  }

  get loaded(): boolean {
    return this.#index !== undefined;
  }

  async load(): Promise<SiteIndex> {
    const manifest = await this.#read();
    if (manifest) this.#index = new SiteIndex(manifest, this.#options.site);
    return this.index;
  }

  start(): void {
    if (this.#options.refreshMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.load().catch((error: Error) => this.#options.onError?.(error));
    }, this.#options.refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Returns undefined when a file has not changed since the last load. */
  async #read(): Promise<Manifest | undefined> {
    const { location } = this.#options;
    if (isUrl(location)) return assertManifest(await this.#fetchJson(location), location);
    const info = await stat(location).catch((error: NodeJS.ErrnoException) => {
      throw new ManifestLoadError(
        location,
        error.code === "ENOENT" ? "does not exist" : error.message,
        {
          cause: error,
        },
      );
    });
    const stamp = `${info.mtimeMs}:${info.size}`;
    if (this.#index && stamp === this.#fileStamp) return undefined;
    if (info.size > MAX_MANIFEST_BYTES) throw new ManifestLoadError(location, "is too large");
    let value: unknown;
    try {
      value = JSON.parse((await readFile(location, "utf8")).replace(/^\uFEFF/, ""));
    } catch (error) {
      throw new ManifestLoadError(location, `is not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    const manifest = assertManifest(value, location);
    this.#fileStamp = stamp;
    return manifest;
  }

  async #fetchJson(location: string): Promise<unknown> {
    const doFetch = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(location, {
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
        headers: { accept: "application/json" },
      });
    } catch (error) {
      throw new ManifestLoadError(location, `could not be fetched (${(error as Error).message})`, {
        cause: error,
      });
    }
    if (!response.ok) throw new ManifestLoadError(location, `answered HTTP ${response.status}`);
    const text = await readCapped(response, this.#options.maxBytes ?? MAX_MANIFEST_BYTES);
    if (text === undefined) throw new ManifestLoadError(location, "is too large");
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (error) {
      throw new ManifestLoadError(location, `is not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
}

/**
 * The body as text, or undefined once it passes `maxBytes`: read chunk by chunk and
 * cancelled there, so an endless or huge answer is not buffered whole. Uses only the
 * Fetch API, as the handler may run where undici is not available.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
