import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config";
import { isAllowedOrigin, requestScheme } from "@/server/http/origin";

const configKey = Symbol.for("parley.config");
const useConfig = (env: Record<string, string>) => {
  (globalThis as Record<symbol, unknown>)[configKey] = loadConfig({ AUTH_SECRET: "x".repeat(32), ...env });
};
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[configKey];
});

describe("isAllowedOrigin", () => {
  const site = { host: "chat.example.com:8443", scheme: "https" } as const;

  it("accepts the site's own scheme, host and port, and requests without an Origin", () => {
    useConfig({});
    expect(isAllowedOrigin("https://chat.example.com:8443", site)).toBe(true);
    expect(isAllowedOrigin("https://CHAT.example.com:8443", site)).toBe(true);
    expect(isAllowedOrigin(undefined, site)).toBe(true);
  });

  it.each([
    ["another scheme", "http://chat.example.com:8443"],
    ["another port", "https://chat.example.com:9443"],
    ["the default port", "https://chat.example.com"],
    ["another host", "https://chat.example.com.evil.test:8443"],
    ["a subdomain", "https://a.chat.example.com:8443"],
    ["the opaque origin", "null"],
    ["a non-web scheme", "file://chat.example.com:8443"],
    ["garbage", "not a url"],
  ])("refuses %s", (_, origin) => {
    useConfig({});
    expect(isAllowedOrigin(origin, site)).toBe(false);
  });

  it("accepts PUBLIC_URL and ALLOWED_ORIGINS exactly, default ports and trailing slashes aside", () => {
    useConfig({
      PUBLIC_URL: "https://chat.example.org/",
      ALLOWED_ORIGINS: "http://localhost:5173, https://app.test:443",
    });
    const behindProxy = { host: "10.0.0.5:3000", scheme: "http" } as const;
    expect(isAllowedOrigin("https://chat.example.org", behindProxy)).toBe(true);
    expect(isAllowedOrigin("http://localhost:5173", behindProxy)).toBe(true);
    expect(isAllowedOrigin("https://app.test", behindProxy)).toBe(true);
    expect(isAllowedOrigin("http://chat.example.org", behindProxy)).toBe(false);
    expect(isAllowedOrigin("http://localhost:5174", behindProxy)).toBe(false);
    expect(isAllowedOrigin("https://localhost:5173", behindProxy)).toBe(false);
  });
});

describe("requestScheme", () => {
  it("takes the first hop of X-Forwarded-Proto, else the connection's own", () => {
    expect(requestScheme("https", false)).toBe("https");
    expect(requestScheme("https, http", false)).toBe("https");
    expect(requestScheme(["http"], true)).toBe("http");
    expect(requestScheme(undefined, true)).toBe("https");
    expect(requestScheme(null, false)).toBe("http");
    expect(requestScheme("gopher", false)).toBe("http");
  });
});
