import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "@static-pingback/core/net";

/**
 * A resolver for tests: names map to loopback addresses by the table (a
 * "*.name" key answers for every name under it); anything else does not
 * resolve. Nothing leaves the machine.
 */
export function testLookup(table: Record<string, string>): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const lookup = (
    hostname: string,
    _options: unknown,
    callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ): void => {
    asked.push(hostname);
    const name = hostname.toLowerCase().replace(/\.$/, "");
    const wildcard = Object.keys(table).find(
      (key) => key.startsWith("*.") && name.endsWith(key.slice(1)),
    );
    const address = table[name] ?? (wildcard ? table[wildcard] : undefined);
    queueMicrotask(() => {
      if (address) callback(null, [{ address, family: address.includes(":") ? 6 : 4 }]);
      else callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    });
  };
  return Object.assign(lookup as LookupFunction, { asked });
}
