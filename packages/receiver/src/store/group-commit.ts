import type { NewPingback, PingbackStore } from "./types.ts";

type Inserted = { id: number; inserted: boolean };

/**
 * Group commit: inserts requested in the same turn of the event loop go to the
 * store in one transaction, so one disk sync covers them all. Each caller still
 * resolves only after its row is committed, so "durable before the answer" holds.
 */
export class GroupCommit {
  readonly #store: PingbackStore;
  #batch: Array<{
    pingback: NewPingback;
    resolve: (value: Inserted) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(store: PingbackStore) {
    this.#store = store;
  }

  insert(pingback: NewPingback): Promise<Inserted> {
    if (!this.#store.insertMany) return Promise.resolve(this.#store.insert(pingback));
    return new Promise((resolve, reject) => {
      if (this.#batch.length === 0) setImmediate(() => void this.#flush());
      this.#batch.push({ pingback, resolve, reject });
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    try {
      const results = await (this.#store.insertMany as NonNullable<PingbackStore["insertMany"]>)(
        batch.map((entry) => entry.pingback),
      );
      for (const [i, entry] of batch.entries()) entry.resolve(results[i] as Inserted);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
