import { isIP } from "node:net";
import { getDomain } from "tldts";
import { hostKey } from "../manifest/site-index.ts";
import { canonicalAddress } from "../ping/hop-guard.ts";

/**
 * The key an address is limited by: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by
 * its /64, since one client or host gets a whole /64 and can rotate through it.
 * Anything that is not an address (a platform's "unknown") is its own key.
 */
export function addressKey(address: string): string {
  const bare = canonicalAddress(address.trim());
  if (isIP(bare) !== 6) return bare;
  const [head = "", tail = ""] = bare.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = bare.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/**
 * The key a source host is limited by: its registrable domain (Public Suffix
 * List, private suffixes included, so `a.github.io` and `b.github.io` are two
 * owners but `h1.example.com` and `h2.example.com` are one), or for an IP
 * literal, its address key.
 */
export function siteKey(hostname: string): string {
  const host = hostKey(hostname.replace(/^\[|\]$/g, ""));
  if (isIP(host)) return addressKey(host);
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}
