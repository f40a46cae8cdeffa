import { describe, expect, it } from "vitest";
import { isInternalHostname, isPublicAddress } from "@/server/link-previews/address-policy";

describe("isPublicAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.0.0.2", "loopback, not only 127.0.0.1"],
    ["127.255.255.254", "the end of loopback"],
    ["10.0.0.1", "private 10/8"],
    ["172.16.0.1", "private 172.16/12"],
    ["172.31.255.255", "the end of 172.16/12"],
    ["192.168.1.1", "private 192.168/16"],
    ["169.254.169.254", "cloud metadata (link-local)"],
    ["169.254.0.1", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.100.100.200", "Alibaba Cloud's metadata service (carrier-grade NAT)"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "this network (0/8)"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast (SSDP)"],
    ["192.0.0.192", "IETF protocol assignments (Oracle Cloud's metadata service)"],
    ["192.0.2.1", "documentation (TEST-NET-1)"],
    ["198.51.100.1", "documentation (TEST-NET-2)"],
    ["203.0.113.1", "documentation (TEST-NET-3)"],
    ["198.18.0.1", "benchmarking"],
    ["240.0.0.1", "reserved (240/4)"],
    ["::1", "IPv6 loopback"],
    ["::", "IPv6 unspecified"],
    ["fd00::1", "unique local"],
    ["fc00::1", "unique local (fc00::/7)"],
    ["fd00:ec2::254", "AWS's IPv6 metadata service (unique local)"],
    ["fe80::1", "IPv6 link-local"],
    ["fec0::1", "deprecated site-local"],
    ["ff02::1", "IPv6 multicast"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, in hex"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["::7f00:1", "IPv4-compatible loopback, in hex"],
    ["::8.8.8.8", "IPv4-compatible, deprecated even for a public address"],
    ["64:ff9b::127.0.0.1", "NAT64 of loopback"],
    ["64:ff9b::a00:1", "NAT64 of private 10.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "NAT64 of the metadata address"],
    ["64:ff9b:1::8.8.8.8", "local-use NAT64 (RFC 8215)"],
    ["::ffff:0:7f00:1", "IPv4-translated (RFC 6145)"],
    ["2002:7f00:1::", "6to4 of loopback"],
    ["2002:808:808::", "6to4, a tunnel into any IPv4 host"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
    ["2001:db8::1", "IPv6 documentation"],
    ["3fff::1", "IPv6 documentation (RFC 9637)"],
    ["100::1", "IPv6 discard"],
    ["5f00::1", "segment routing"],
    ["4000::1", "IPv6 outside global unicast (2000::/3)"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["not an address", "not an address at all"],
    ["", "empty"],
    ["1.2.3", "a short IPv4 form, which only a URL parser should expand"],
  ])("refuses %s: %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ["8.8.8.8", "public IPv4"],
    ["1.1.1.1", "public IPv4"],
    ["93.184.215.14", "public IPv4"],
    ["172.32.0.1", "just past 172.16/12"],
    ["100.128.0.1", "just past carrier-grade NAT"],
    ["2606:4700:4700::1111", "public IPv6"],
    ["2a00:1450:4001:80b::200e", "public IPv6"],
    ["::ffff:8.8.8.8", "IPv4-mapped public"],
    ["64:ff9b::808:808", "NAT64 of a public address, as DNS64 answers on an IPv6-only network"],
  ])("allows %s: %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("isInternalHostname", () => {
  it.each([
    "localhost",
    "LOCALHOST",
    "localhost.",
    "app.localhost",
    "metadata.google.internal",
    "metadata.google.internal.",
    "metadata.goog",
    "metadata",
    "instance-data",
    "printer.local",
    "db.internal",
    "nas.home.arpa",
    "router.lan",
    "wiki.corp",
  ])("refuses %s", (name) => {
    expect(isInternalHostname(name)).toBe(true);
  });

  it.each(["example.com", "news.ycombinator.com", "example.com.", "localhost.example.com", "local.example"])(
    "allows %s",
    (name) => {
      expect(isInternalHostname(name)).toBe(false);
    },
  );
});
