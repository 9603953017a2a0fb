export interface BucketRule {
  /** Burst size: requests allowed at once. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets keyed by a string (client IP, source host). Memory is bounded:
 * at most `maxKeys` buckets are kept; when full, the least recently used go
 * first (a Map keeps insertion order, and a touched key is re-inserted). A
 * forgotten bucket was either full or belonged to a sender crowded out by
 * newer ones, which an attacker could exploit only by spending its own
 * requests on fresh keys; the global concurrency cap still holds.
 */
export class TokenBuckets {
  readonly #rule: BucketRule;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(rule: BucketRule, maxKeys = 10_000, now: () => number = Date.now) {
    this.#rule = rule;
    this.#maxKeys = maxKeys;
    this.#now = now;
  }

  get size(): number {
    return this.#buckets.size;
  }

  take(key: string): TakeResult {
    const now = this.#now();
    const { capacity, refillPerSecond } = this.#rule;
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedMs: now };
    this.#buckets.delete(key);
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedMs) / 1000) * refillPerSecond,
    );
    bucket.updatedMs = now;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const wait = refillPerSecond > 0 ? (1 - bucket.tokens) / refillPerSecond : 3600;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }

  /** Gives a token back (the request was refused by a later check before using it). */
  refund(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.#rule.capacity, bucket.tokens + 1);
  }
}
