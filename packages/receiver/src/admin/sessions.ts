import { randomBytes, timingSafeEqual } from "node:crypto";

export interface AdminSession {
  id: string;
  /** Sent in every form; a POST without it changes nothing. */
  csrf: string;
  expiresMs: number;
}

function token(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares secrets in constant time (different lengths are simply unequal). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Signed-in sessions, in memory: a restart signs everyone out, which is the safe
 * direction. At most `max` live at once; the oldest goes first.
 */
export class AdminSessions {
  readonly #sessions = new Map<string, AdminSession>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(ttlMs: number, max = 32, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#max = max;
    this.#now = now;
  }

  create(): AdminSession {
    const session = { id: token(), csrf: token(), expiresMs: this.#now() + this.#ttlMs };
    this.#sessions.set(session.id, session);
    if (this.#sessions.size > this.#max) {
      this.#sessions.delete(this.#sessions.keys().next().value as string);
    }
    return session;
  }

  /** The live session with this id, or undefined (an expired one is forgotten). */
  get(id: string | undefined): AdminSession | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (session.expiresMs <= this.#now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  end(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }
}
