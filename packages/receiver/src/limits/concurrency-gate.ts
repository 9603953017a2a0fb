/**
 * At most `limit` tasks run at once; up to `queueSize` more wait in order.
 * Beyond that `tryEnter` refuses at once, so a flood costs no memory and no
 * outbound connection.
 */
export class ConcurrencyGate {
  readonly #limit: number;
  readonly #queueSize: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number, queueSize: number) {
    this.#limit = limit;
    this.#queueSize = queueSize;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * Resolves to a release function once a slot is free, or returns undefined
   * synchronously when the queue is full.
   */
  tryEnter(): Promise<() => void> | undefined {
    if (this.#running < this.#limit) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#waiting.length >= this.#queueSize) return undefined;
    return new Promise((resolve) => {
      this.#waiting.push(() => resolve(this.#releaser()));
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    };
  }
}
