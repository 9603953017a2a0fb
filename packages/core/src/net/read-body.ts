import { pipeline, Readable } from "node:stream";
import { constants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { ResponseTooLargeError } from "./errors.ts";

export interface BodyLimits {
  /** Bytes read off the wire (compressed, if it was). */
  maxBytes: number;
  /** Bytes after decompression. */
  maxDecodedBytes: number;
  /** At a limit: stop and return the prefix ("truncate"), or throw ("error"). */
  overflow: "truncate" | "error";
}

export interface BodyResult {
  body: Buffer;
  truncated: boolean;
}

function decoderFor(encoding: string) {
  // Sync flush at the end lets a truncated compressed prefix decode as far as it goes.
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    case "deflate":
      return createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    case "br":
      return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}

/**
 * Reads a response body under both caps, never buffering more than the caps allow.
 * Unknown content codings are returned as they came (the caller sees the bytes).
 */
export async function readCappedBody(
  body: Readable,
  contentEncoding: string,
  limits: BodyLimits,
  url: string,
): Promise<BodyResult> {
  let rawTruncated = false;
  let rawCount = 0;
  async function* capped(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      const room = limits.maxBytes - rawCount;
      if (chunk.length > room) {
        if (limits.overflow === "error")
          throw new ResponseTooLargeError(url, limits.maxBytes, "bytes");
        rawTruncated = true;
        if (room > 0) yield chunk.subarray(0, room);
        rawCount = limits.maxBytes;
        return;
      }
      rawCount += chunk.length;
      yield chunk;
    }
  }

  const decoder = decoderFor(contentEncoding.trim().toLowerCase());
  const source = Readable.from(capped(), { objectMode: false });
  // pipeline (unlike pipe) carries an error of the source through to the decoder.
  const decoded: AsyncIterable<Buffer> = decoder ? pipeline(source, decoder, () => {}) : source;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of decoded) {
      const room = limits.maxDecodedBytes - size;
      if (chunk.length > room) {
        if (limits.overflow === "error") {
          throw new ResponseTooLargeError(
            url,
            limits.maxDecodedBytes,
            decoder ? "decoded bytes" : "bytes",
          );
        }
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (error) {
    // A truncated compressed stream may end mid-block; the prefix decoded so far stands.
    if (!(rawTruncated && decoder && !(error instanceof ResponseTooLargeError))) throw error;
  } finally {
    source.destroy();
    decoder?.destroy();
    body.on("error", () => {});
    body.destroy();
  }
  return { body: Buffer.concat(chunks, size), truncated: truncated || rawTruncated };
}
