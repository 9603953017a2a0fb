import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyAddress, vetAddress } from "../../src/net/index.ts";

describe("classifyAddress", () => {
  const refused: [string, string][] = [
    ["127.0.0.1", "loopback"],
    ["127.8.9.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.1.1", "linkLocal"],
    ["169.254.169.254", "cloud-metadata"],
    ["100.100.100.200", "cloud-metadata"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd00:ec2::254", "cloud-metadata"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "ipv4Mapped"],
    ["::ffff:8.8.8.8", "ipv4Mapped"],
    ["::7f00:1", "ipv4Compatible"],
    ["64:ff9b::a9fe:a9fe", "rfc6052"],
    ["64:ff9b:1::1", "rfc6052"],
    ["2002:7f00:1::", "6to4"],
    ["2001::1", "teredo"],
    ["[::1]", "loopback"],
    ["not-an-ip", "invalid"],
  ];
  for (const [address, range] of refused) {
    it(`refuses ${address} as ${range}`, () => {
      assert.deepEqual(classifyAddress(address), { allowed: false, address, range });
    });
  }

  it("allows public unicast", () => {
    assert.equal(classifyAddress("93.184.215.14").allowed, true);
    assert.equal(classifyAddress("2606:2800:21f:cb07:6820:80da:af6b:8b2c").allowed, true);
  });

  it("applies allow-lists and `true`", () => {
    assert.equal(vetAddress("127.0.0.1", ["127.0.0.1/32"]).allowed, true);
    assert.equal(vetAddress("127.0.0.2", ["127.0.0.1/32"]).allowed, false);
    assert.equal(vetAddress("::1", ["127.0.0.0/8"]).allowed, false);
    assert.equal(vetAddress("169.254.169.254", true).allowed, true);
    assert.equal(vetAddress("10.0.0.1", false).allowed, false);
  });
});
