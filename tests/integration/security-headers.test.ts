import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appFiles } from "../helpers/app-routes";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/** Every page and route handler under app/, as a URL path with its dynamic segments filled in. */
function appPaths(): { pages: string[]; routes: string[] } {
  const { pages, routes } = appFiles();
  const filled = (p: string) => p.split("/").map(fill).join("/");
  return { pages: pages.map(filled), routes: routes.map((r) => filled(r.path)) };
}

// [...nextauth] gets a route next-auth serves; other dynamic segments an id that names nothing.
const fill = (segment: string) =>
  segment === "[...nextauth]" ? "session" : /^\[/.test(segment) ? randomUUID() : segment;

function expectSecurityHeaders(res: Response, where: string): void {
  const csp = res.headers.get("content-security-policy") ?? "";
  for (const directive of [
    "default-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
  ]) {
    expect(csp, where).toContain(directive);
  }
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp, where).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
  expect(csp, where).not.toContain("unsafe-eval");
  expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), where).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("permissions-policy"), where).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
}

describe("security headers", () => {
  let server: TestServer;
  let ada: SignedInUser;
  const { pages, routes } = appPaths();

  beforeAll(async () => {
    server = await startTestServer();
    ada = await signUpAndSignIn(server.url, { workspaceName: "Headers" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("finds the app's pages and routes", () => {
    expect(pages).toEqual(expect.arrayContaining(["/", "/signin", "/signup"]));
    expect(routes).toEqual(expect.arrayContaining(["/api/me", "/api/signup", "/api/auth/session"]));
  });

  for (const signedIn of [false, true]) {
    it(`are on every page ${signedIn ? "signed in" : "signed out"}, with a fresh nonce on Next's scripts`, async () => {
      const nonces = new Set<string>();
      // An unknown path gets Next's not-found page, which is prerendered unless told otherwise.
      for (const page of [...pages, `/no-such-page-${randomUUID()}`]) {
        const res = await fetch(new URL(page, server.url), {
          headers: signedIn ? { cookie: ada.cookie } : {},
          redirect: "manual",
        });
        expectSecurityHeaders(res, page);
        expect(res.headers.get("strict-transport-security"), page).toBeNull();
        const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";
        expect(nonces.has(nonce), page).toBe(false);
        nonces.add(nonce);
        const html = await res.text();
        if (res.status !== 200 && res.status !== 404) continue;
        const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
        expect(scripts.length, page).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag, page).toContain(`nonce="${nonce}"`);
      }
    });
  }

  it("are on every route, and on an API route no cache may keep the answer", async () => {
    for (const route of routes) {
      for (const method of ["GET", "POST"]) {
        const res = await fetch(new URL(route, server.url), {
          method,
          headers: { cookie: ada.cookie, origin: server.url },
          redirect: "manual",
        });
        await res.body?.cancel();
        expectSecurityHeaders(res, `${method} ${route}`);
        // The others (the emoji picker's data) are public and the same for everyone.
        if (route.startsWith("/api/"))
          expect(res.headers.get("cache-control"), `${method} ${route}`).toContain("no-store");
      }
    }
  });

  it("are on health probes and Socket.IO's polling answers", async () => {
    for (const probe of ["/healthz", "/readyz", "/socket.io/?EIO=4&transport=polling"]) {
      const res = await fetch(new URL(probe, server.url), { headers: { cookie: ada.cookie } });
      await res.body?.cancel();
      expectSecurityHeaders(res, probe);
    }
  });

  it("ignores a Content-Security-Policy the client sends", async () => {
    const res = await fetch(new URL("/signin", server.url), {
      headers: { "content-security-policy": "script-src 'nonce-chosen-by-attacker'" },
    });
    const html = await res.text();
    expect(html).not.toContain("chosen-by-attacker");
    expect(res.headers.get("content-security-policy")).not.toContain("chosen-by-attacker");
  });
});

describe("security headers over HTTPS", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_URL: "https://chat.example.test" } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("add HSTS when PUBLIC_URL is https", async () => {
    for (const path of ["/signup", "/api/workspace", "/healthz"]) {
      const res = await fetch(new URL(path, server.url), { redirect: "manual" });
      await res.body?.cancel();
      expect(res.headers.get("strict-transport-security"), path).toBe("max-age=63072000; includeSubDomains");
    }
  });
});
