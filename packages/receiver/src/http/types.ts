/**
 * The request as the receiver needs it: small enough that both a Fetch-API
 * Request and Node's IncomingMessage map onto it without copying the body.
 */
export interface ReceiverRequest {
  method: string;
  url: URL;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | null;
  /** The TCP peer (or the platform's client IP), for rate limits and the User-Agent. */
  clientAddress: string;
}

export interface ReceiverResponse {
  status: number;
  headers: Record<string, string>;
  /** Bytes are sent as they are: one encoded body can serve many connections. */
  body: string | Uint8Array;
}
