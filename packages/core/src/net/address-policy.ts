import ipaddr from "ipaddr.js";

/** The verdict on one IP address. `range` names why it is refused, or "public". */
export interface AddressVerdict {
  allowed: boolean;
  address: string;
  range: string;
}

/**
 * Which non-public addresses may be connected to anyway: `false` none (the default),
 * `true` all (tests, intranets), or a list of CIDR ranges ("127.0.0.1/32", "10.0.0.0/8").
 */
export type PrivateNetworkPolicy = boolean | readonly string[];

/** Cloud metadata services, named so the error says what was at stake. */
const METADATA_ADDRESSES = new Set([
  "169.254.169.254", // AWS, GCP, Azure, OpenStack…
  "169.254.170.2", // AWS ECS task metadata
  "100.100.100.200", // Alibaba Cloud
  "192.0.0.192", // Oracle Cloud (legacy)
  "fd00:ec2::254", // AWS IPv6 metadata
]);

// ::/96 minus :: and ::1: the deprecated IPv4-compatible form. ipaddr.js calls
// `::7f00:1` (WHATWG's spelling of [::127.0.0.1]) "unicast", so it is checked here.
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

/**
 * Classifies an address by what it is, not how it was spelled: only globally
 * routable unicast is public. IPv4-mapped, NAT64, 6to4, Teredo and IPv4-compatible
 * IPv6 forms are refused outright, since each can reach an IPv4 address indirectly.
 */
export function classifyAddress(address: string): AddressVerdict {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return { allowed: false, address, range: "invalid" };
  const parsed = ipaddr.parse(bare);
  const normal = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.has(normal) || METADATA_ADDRESSES.has(parsed.toString())) {
    return { allowed: false, address, range: "cloud-metadata" };
  }
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { allowed: false, address, range: "ipv4Mapped" };
    if (v6.match(IPV4_COMPATIBLE)) {
      const range = v6.range();
      return { allowed: false, address, range: range === "unicast" ? "ipv4Compatible" : range };
    }
  }
  const range = parsed.range();
  return { allowed: range === "unicast", address, range: range === "unicast" ? "public" : range };
}

/** Applies a private-network policy on top of `classifyAddress`. */
export function vetAddress(address: string, policy: PrivateNetworkPolicy): AddressVerdict {
  const verdict = classifyAddress(address);
  if (verdict.allowed || policy === false) return verdict;
  if (policy === true) return { ...verdict, allowed: verdict.range !== "invalid" };
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return verdict;
  const parsed = ipaddr.parse(bare);
  for (const cidr of policy) {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    if (network.kind() === parsed.kind() && parsed.match([network, bits])) {
      return { ...verdict, allowed: true };
    }
  }
  return verdict;
}

/** Checks a policy's CIDR list up front, so a typo fails at the door, not mid-run. */
export function assertValidPolicy(policy: PrivateNetworkPolicy): void {
  if (typeof policy === "boolean") return;
  if (!Array.isArray(policy)) {
    throw new TypeError("allowPrivateNetworks must be a boolean or an array of CIDR strings");
  }
  for (const cidr of policy) {
    try {
      ipaddr.parseCIDR(cidr);
    } catch {
      throw new TypeError(
        `allowPrivateNetworks: "${cidr}" is not a CIDR range (e.g. "10.0.0.0/8", "::1/128")`,
      );
    }
  }
}
