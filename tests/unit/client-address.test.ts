import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config";
import { clientAddress, isAddressOrRange, trustedProxyList } from "@/server/http/client-address";

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  }) as unknown as IncomingMessage;

describe("the client address", () => {
  const proxies = trustedProxyList(["10.0.0.0/8", "::1"]);

  it("is the socket's peer when that is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), proxies)).toBe("203.0.113.9");
    expect(clientAddress(request("::ffff:203.0.113.9", "198.51.100.1"), trustedProxyList([]))).toBe("203.0.113.9");
  });

  it("is the rightmost hop that is not a trusted proxy when the peer is one", () => {
    expect(clientAddress(request("10.1.2.3", "198.51.100.1"), proxies)).toBe("198.51.100.1");
    expect(clientAddress(request("::1", "6.6.6.6, 198.51.100.1, 10.0.0.7"), proxies)).toBe("198.51.100.1");
    expect(clientAddress(request("::ffff:10.1.2.3", "junk, 198.51.100.1"), proxies)).toBe("198.51.100.1");
  });

  it("is the peer when a trusted proxy sent no usable X-Forwarded-For", () => {
    expect(clientAddress(request("10.1.2.3"), proxies)).toBe("10.1.2.3");
    expect(clientAddress(request("10.1.2.3", "not an address"), proxies)).toBe("10.1.2.3");
    expect(clientAddress(request("10.1.2.3", "10.0.0.2, 10.0.0.1"), proxies)).toBe("10.0.0.2");
  });
});

describe("TRUSTED_PROXIES", () => {
  it("takes addresses and CIDR ranges", () => {
    const config = loadConfig({ AUTH_SECRET: "x".repeat(32), TRUSTED_PROXIES: " 10.0.0.0/8, ::1 ,fd00::/8" });
    expect(config.trustedProxies).toEqual(["10.0.0.0/8", "::1", "fd00::/8"]);
  });

  it("refuses anything else at start-up", () => {
    for (const bad of ["proxy.internal", "10.0.0.0/33", "10.0.0.1/8/8", "::1/129", "10.0.0.0/"]) {
      expect(isAddressOrRange(bad), bad).toBe(false);
      expect(() => loadConfig({ AUTH_SECRET: "x".repeat(32), TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });
});
