import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "@static-pingback/core/net";

const PIN_MS = 30_000;
const MAX_PINS = 1000;

/**
 * One DNS answer per hop for both the hop checks and the connection: `resolve`
 * (the hop checks: blocklist, limits) asks DNS and pins the answer; the next
 * connection to that name (`lookup`, given to core's guarded client) takes the
 * pinned answer instead of asking again, so the address charged and compared
 * is the address dialled. A pin is used once and lasts 30 s at most (a reused
 * keep-alive socket needs none); the guard still vets every address it dials.
 */
export class HopResolver {
  readonly #base: LookupFunction;
  readonly #pins = new Map<string, { addresses: LookupAddress[]; at: number }>();

  constructor(base: LookupFunction) {
    this.#base = base;
  }

  resolve(hostname: string): Promise<LookupAddress[]> {
    const name = hostname.toLowerCase();
    return new Promise((resolve) => {
      this.#base(name, { all: true }, (error, addresses) => {
        if (error) return resolve([]);
        this.#pins.delete(name);
        this.#pins.set(name, { addresses, at: performance.now() });
        if (this.#pins.size > MAX_PINS) this.#pins.delete(this.#pins.keys().next().value as string);
        resolve(addresses);
      });
    });
  }

  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const name = hostname.toLowerCase();
    const pin = this.#pins.get(name);
    this.#pins.delete(name);
    if (pin && performance.now() - pin.at < PIN_MS) {
      const addresses = options.family
        ? pin.addresses.filter((a) => a.family === options.family)
        : pin.addresses;
      if (addresses.length > 0) {
        queueMicrotask(() => callback(null, addresses));
        return;
      }
    }
    this.#base(hostname, options, callback);
  };
}
