import type { NewPingback, PingbackStore, VerificationOutcome } from "./types.ts";

type Inserted = { id: number; inserted: boolean };

/**
 * Group commit: writes requested in the same turn of the event loop go to the store in
 * one transaction, so one disk sync covers them all: the inserts of new pings, and the
 * outcomes of background verifications. Each caller still resolves only after its row
 * is committed, so "durable before the answer" holds. A store without the batch
 * methods gets each write on its own.
 */
export class GroupCommit {
  readonly #store: PingbackStore;
  readonly #inserts: Batch<NewPingback, Inserted> | undefined;
  readonly #outcomes: Batch<{ id: number; outcome: VerificationOutcome }, void> | undefined;

  constructor(store: PingbackStore) {
    this.#store = store;
    const { insertMany, completeMany } = store;
    if (insertMany) this.#inserts = new Batch((items) => insertMany.call(store, items));
    if (completeMany) {
      this.#outcomes = new Batch<{ id: number; outcome: VerificationOutcome }, void>(
        async (items) => {
          await completeMany.call(store, items);
          return items.map(() => undefined);
        },
      );
    }
  }

  insert(pingback: NewPingback): Promise<Inserted> {
    return this.#inserts?.add(pingback) ?? Promise.resolve(this.#store.insert(pingback));
  }

  complete(id: number, outcome: VerificationOutcome): Promise<void> {
    return (
      this.#outcomes?.add({ id, outcome }) ??
      Promise.resolve(this.#store.completeVerification(id, outcome))
    );
  }
}

/** Items added in one turn of the event loop, written together on the next. */
class Batch<Item, Result> {
  readonly #writeMany: (items: Item[]) => Result[] | Promise<Result[]>;
  #pending: Array<{
    item: Item;
    resolve: (value: Result) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(writeMany: (items: Item[]) => Result[] | Promise<Result[]>) {
    this.#writeMany = writeMany;
  }

  add(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => void this.#flush());
      this.#pending.push({ item, resolve, reject });
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      const results = await this.#writeMany(batch.map((entry) => entry.item));
      for (const [i, entry] of batch.entries()) entry.resolve(results[i] as Result);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
