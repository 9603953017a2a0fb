import { createHmac } from "node:crypto";
import type {
  MentionProperty,
  MentionProtocol,
  PingbackStore,
  StoredPingback,
} from "../store/types.ts";

/** The header that carries `sha256=` and the hex HMAC-SHA256 of the body under the secret. */
export const SIGNATURE_HEADER = "x-static-pingback-signature";
/** Mentions per POST; more go in further POSTs of the same round. */
export const WEBHOOK_BATCH = 50;
/** How many ids are remembered as told (a bounded set; the oldest are forgotten first). */
const REMEMBERED = 10_000;

export interface WebhookConfig {
  url: string;
  /** The HMAC key; the receiving end verifies the signature with it. */
  secret: string;
  /** How often new pending mentions are looked for and sent, in one batch, ms. */
  intervalMs: number;
}

/** What the webhook says of one mention (cleaned text as stored; the receiver escapes it). */
export interface WebhookMention {
  id: number;
  protocol: MentionProtocol;
  /** The kind of response (`in-reply-to`, `like-of`, …, `mention-of`). */
  property: MentionProperty;
  source: string;
  target: string;
  sourceHost: string;
  title: string | null;
  author: string | null;
  excerpt: string | null;
  receivedAt: string;
}

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function mentionOf(row: StoredPingback): WebhookMention {
  return {
    id: row.id,
    protocol: row.protocol,
    property: row.post.property ?? "mention-of",
    source: row.source,
    target: row.target,
    sourceHost: row.sourceHost,
    title: row.post.title,
    author: row.post.authorName,
    excerpt: row.post.excerpt,
    receivedAt: row.receivedAt,
  };
}

/**
 * Tells a chat bot or a workflow about new pending mentions: every `intervalMs` it looks
 * in the store for verified pending mentions it has not told of and POSTs them as JSON,
 * signed with HMAC-SHA256 over the body. Watching the store rather than the protocol
 * handlers means a burst becomes one batch and every way a mention arrives is covered.
 * Mentions already pending when it starts are not announced again.
 */
export class PendingWebhook {
  readonly #config: WebhookConfig;
  readonly #store: PingbackStore;
  readonly #onError: (error: Error) => void;
  readonly #told = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #seeded = false;

  constructor(config: WebhookConfig, store: PingbackStore, onError: (error: Error) => void) {
    this.#config = config;
    this.#store = store;
    this.#onError = onError;
  }

  async start(): Promise<void> {
    if (!this.#seeded) {
      for (const row of await this.#pending()) this.#remember(row.id);
      this.#seeded = true;
    }
    this.#timer ??= setInterval(() => void this.tick(), this.#config.intervalMs);
    this.#timer.unref();
  }

  /** One round now (the timer calls it); rounds never overlap. */
  tick(): Promise<void> {
    this.#round ??= this.#send().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  /** Stops the timer after a last round, so nothing stored before shutdown goes untold. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
    if (this.#seeded) await this.tick();
  }

  #pending(): Promise<StoredPingback[]> {
    return Promise.resolve(this.#store.list({ status: "pending", verifiedOnly: true, limit: 500 }));
  }

  #remember(id: number): void {
    this.#told.add(id);
    if (this.#told.size > REMEMBERED) {
      this.#told.delete(this.#told.values().next().value as number);
    }
  }

  async #send(): Promise<void> {
    try {
      const fresh = (await this.#pending()).filter((row) => !this.#told.has(row.id)).reverse();
      for (let at = 0; at < fresh.length; at += WEBHOOK_BATCH) {
        const batch = fresh.slice(at, at + WEBHOOK_BATCH);
        await this.#post(batch.map(mentionOf));
        for (const row of batch) this.#remember(row.id);
      }
    } catch (error) {
      // Not remembered: the next round tries the same mentions again.
      this.#onError(error as Error);
    }
  }

  async #post(mentions: WebhookMention[]): Promise<void> {
    const body = JSON.stringify({
      event: "mentions.pending",
      sentAt: new Date().toISOString(),
      mentions,
    });
    const response = await fetch(this.#config.url, {
      method: "POST",
      signal: AbortSignal.timeout(10_000),
      redirect: "error",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signBody(body, this.#config.secret),
      },
      body,
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
  }
}
