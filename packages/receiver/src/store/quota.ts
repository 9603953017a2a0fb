import type { ReceiverEvent } from "../options.ts";
import type { PingbackStore } from "./types.ts";

const RECOUNT_MS = 10_000;
const LOG_EVERY_MS = 60_000;

/**
 * The storage quota: at most `max` rows. The count is read from the store at
 * most every 10 s (the moderation CLI may delete rows meanwhile) and kept up
 * to date with this process's own inserts in between. When the quota is
 * reached, a `quota-reached` line is logged (at most once a minute).
 */
export class StorageQuota {
  readonly #store: PingbackStore;
  readonly #max: number;
  readonly #log: (event: ReceiverEvent) => void;
  #count = 0;
  #countedAt = Number.NEGATIVE_INFINITY;
  #loggedAt = Number.NEGATIVE_INFINITY;

  constructor(store: PingbackStore, max: number, log: (event: ReceiverEvent) => void) {
    this.#store = store;
    this.#max = max;
    this.#log = log;
  }

  /** Whether one more row may be stored (0: no quota). */
  async allows(): Promise<boolean> {
    if (this.#max === 0) return true;
    const now = performance.now();
    if (now - this.#countedAt > RECOUNT_MS) {
      this.#count = await this.#store.count();
      this.#countedAt = now;
    }
    if (this.#count < this.#max) return true;
    if (now - this.#loggedAt > LOG_EVERY_MS) {
      this.#loggedAt = now;
      this.#log({
        event: "quota-reached",
        stored: this.#count,
        max: this.#max,
        message: `storage quota reached: ${this.#count} pingbacks stored, maxStoredPingbacks is ${this.#max}; new pingbacks are refused until rows are deleted or failed ones expire`,
      });
    }
    return false;
  }

  /** One row was inserted by this process. */
  added(): void {
    this.#count++;
  }
}
