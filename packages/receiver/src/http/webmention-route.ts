import type { MentionAnswer } from "../ping/mention-answers.ts";
import type { StoredPingback } from "../store/types.ts";
import { readBodyCapped } from "./read-body.ts";
import type { ReceiverRequest, ReceiverResponse } from "./types.ts";

function text(status: number, body: string, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
    body: `${body}\n`,
  };
}

export interface WebmentionRouteOptions {
  maxRequestBytes: number;
  requestBodyTimeoutMs: number;
  mention: (source: string, target: string, clientAddress: string) => Promise<MentionAnswer>;
  onError?: (error: Error) => void;
  onRefused?: (reason: string) => void;
}

/** The status URL of a mention: under the endpoint, named by its unguessable key. */
export function statusPath(endpointPath: string, statusKey: string): string {
  return `${endpointPath.replace(/\/$/, "")}/status/${statusKey}`;
}

/**
 * `POST /webmention`, form-encoded `source` and `target` (W3C Webmention):
 * 400 with a short plain-text reason for what is refused at once, 202 with a
 * `Location` status URL otherwise, 429/503 with Retry-After.
 */
export async function handleWebmention(
  request: ReceiverRequest,
  options: WebmentionRouteOptions,
): Promise<ReceiverResponse> {
  if (request.method !== "POST") {
    return text(405, "Webmention endpoint: POST source and target, form-encoded.", {
      allow: "POST",
    });
  }
  const refuse = (reason: string, message: string, extra: Record<string, string> = {}) => {
    options.onRefused?.(reason);
    return text(400, message, extra);
  };
  const type = (request.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    return refuse(
      "not-form-encoded",
      "send source and target as application/x-www-form-urlencoded",
    );
  }
  const declared = request.header("content-length");
  if (declared !== null && Number(declared) > options.maxRequestBytes) {
    return text(413, "request too large", { connection: "close" });
  }
  const read = await readBodyCapped(
    request.body,
    options.maxRequestBytes,
    options.requestBodyTimeoutMs,
  );
  if (!read.ok) {
    return read.reason === "too-large"
      ? text(413, "request too large", { connection: "close" })
      : text(408, "request too slow", { connection: "close" });
  }
  const form = new URLSearchParams(Buffer.from(read.bytes).toString("utf8"));
  const source = form.get("source");
  const target = form.get("target");
  if (source === null || target === null) {
    return refuse("missing-parameter", "source and target are both required");
  }
  let answer: MentionAnswer;
  try {
    answer = await options.mention(source.trim(), target.trim(), request.clientAddress);
  } catch (error) {
    options.onError?.(error as Error);
    return text(500, "the mention could not be recorded; try again later", {
      "retry-after": "30",
    });
  }
  if (answer.kind === "refused") return text(400, answer.message);
  if (answer.kind === "busy") {
    return text(answer.status, answer.message, { "retry-after": String(answer.retryAfterSeconds) });
  }
  // A path, resolved by the sender against the endpoint: behind a proxy only it knows our origin.
  const location = statusPath(request.url.pathname, answer.statusKey);
  return text(202, `Accepted: the source will be verified.\nStatus: ${location}`, { location });
}

/** What a status URL says: where the mention stands, and why when it is not accepted. */
export interface MentionStatus {
  status: "queued" | "accepted" | "rejected" | "deleted";
  reason: string | null;
  /** Accepted and waiting for a person's approval before it is shown. */
  moderation: "pending" | "approved" | null;
  source: string;
  target: string;
  updated: string;
}

/** Pure: the public status of a stored mention (no client address, no moderation detail). */
export function mentionStatus(row: StoredPingback, rechecking: boolean): MentionStatus {
  const base = { source: row.source, target: row.target, updated: row.updatedAt };
  const refusedByPerson = row.status === "rejected" || row.status === "spam";
  if (row.verification === "skipped" || (refusedByPerson && row.moderatedAt !== null)) {
    return { ...base, status: "rejected", reason: "refused", moderation: null };
  }
  if (rechecking || row.verification === "queued") {
    return { ...base, status: "queued", reason: null, moderation: null };
  }
  if (row.verification === "failed") {
    return { ...base, status: "rejected", reason: row.reason ?? "not-verified", moderation: null };
  }
  if (row.verification === "deleted") {
    return { ...base, status: "deleted", reason: row.reason, moderation: null };
  }
  const moderation = row.status === "approved" ? "approved" : "pending";
  return { ...base, status: "accepted", reason: null, moderation };
}

/** `GET {path}/status/{key}`: JSON, never cached (it changes as verification runs). */
export function statusResponse(row: StoredPingback | undefined, rechecking: boolean) {
  if (!row) return text(404, "no mention has this status URL");
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    body: `${JSON.stringify(mentionStatus(row, rechecking))}\n`,
  };
}
