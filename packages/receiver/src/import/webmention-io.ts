import { readFile } from "node:fs/promises";
import { StaticPingbackError } from "@static-pingback/core";
import type { Jf2Entry } from "@static-pingback/core/received";

export const WEBMENTION_IO_API = "https://webmention.io/api/mentions.jf2";
/** Bounds on what one import reads: it is another service's data. */
export const IMPORT_LIMITS = { bytesPerPage: 8 * 1024 * 1024, pages: 1000, perPage: 100 };

export class ImportError extends StaticPingbackError {
  readonly code = "ERR_IMPORT";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ImportError";
  }
}

function childrenOf(value: unknown, where: string): Jf2Entry[] {
  const children = (value as { children?: unknown } | null)?.children;
  if (!Array.isArray(children)) {
    throw new ImportError(`${where} is not a JF2 feed (no "children" list)`);
  }
  return children as Jf2Entry[];
}

/** The entries of a JF2 file (webmention.io's export, or a receiver's /pingbacks.jf2). */
export async function readJf2File(file: string): Promise<Jf2Entry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ImportError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return childrenOf(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

async function jsonCapped(response: Response, where: string): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    if (total > IMPORT_LIMITS.bytesPerPage) {
      throw new ImportError(`${where} sent more than ${IMPORT_LIMITS.bytesPerPage} bytes`);
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new ImportError(`${where} did not send JSON`, { cause: error });
  }
}

/**
 * Every mention webmention.io holds for the token's account, page by page (100 a page,
 * oldest first) until a page comes back empty. The token goes in the query, as the API
 * wants; no message repeats the URL.
 */
export async function* fetchWebmentionIo(
  token: string,
  api = WEBMENTION_IO_API,
): AsyncGenerator<Jf2Entry[]> {
  for (let page = 0; page < IMPORT_LIMITS.pages; page++) {
    const url = new URL(api);
    url.searchParams.set("token", token);
    url.searchParams.set("per-page", String(IMPORT_LIMITS.perPage));
    url.searchParams.set("page", String(page));
    url.searchParams.set("sort-dir", "up");
    const where = `${new URL(api).host} (page ${page})`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new ImportError(`${where} could not be reached: ${(error as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      const hint = response.status === 401 || response.status === 403 ? " (check the token)" : "";
      throw new ImportError(`${where} answered HTTP ${response.status}${hint}`);
    }
    const children = childrenOf(await jsonCapped(response, where), where);
    if (children.length === 0) return;
    yield children;
  }
}
