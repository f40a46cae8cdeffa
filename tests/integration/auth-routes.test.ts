import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { api, expectError, getCsrf, signIn, signOut, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const sessionCookieSet = (res: Response) =>
  res.headers.getSetCookie().find((c) => /^next-auth\.session-token=/.test(c)) ?? null;

describe("next-auth's routes", () => {
  let server: TestServer;
  let ada: SignedInUser;

  beforeAll(async () => {
    server = await startTestServer();
    ada = await signUpAndSignIn(server.url, { name: "Ada", workspaceName: "Routes" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers /api/auth/session with the person for a live session", async () => {
    const res = await fetch(new URL("/api/auth/session", server.url), { headers: { cookie: ada.cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { name: "Ada", email: ada.email } });
  });

  it("answers /api/auth/session with nothing, and no fresh cookie, once the session is ended", async () => {
    const cookie = await signIn(server.url, ada.email, ada.password);
    if (!cookie) throw new Error("sign-in failed");
    expect((await signOut(server.url, cookie)).status).toBe(200);

    const res = await fetch(new URL("/api/auth/session", server.url), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    // Only a cookie that clears the old one, if any.
    const set = sessionCookieSet(res);
    if (set) expect(set).toMatch(/^next-auth\.session-token=;/);
  });

  const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string().min(1) }) });

  for (const path of ["/api/auth/callback/credentials", "/api/auth/signout"]) {
    describe(`POST ${path}`, () => {
      const post = async (body: string, contentType: string) => {
        const csrf = await getCsrf(server.url);
        const res = await fetch(new URL(path, server.url), {
          method: "POST",
          headers: { "content-type": contentType, cookie: `${ada.cookie}; ${csrf.cookie}` },
          body,
          redirect: "manual",
        });
        const text = await res.text();
        return { status: res.status, body: errorBody.safeParse(JSON.parse(text || "null")) };
      };

      it("refuses a JSON body with 400", async () => {
        const res = await post(JSON.stringify({ email: ada.email, password: ada.password }), "application/json");
        expect(res.status).toBe(400);
        expect(res.body.data?.error.code).toBe("bad_request");
      });

      it("refuses a form body that is not valid URL encoding with 400", async () => {
        const res = await post("%%%&=&csrfToken=%E0%A4%A", "application/x-www-form-urlencoded");
        expect(res.status).toBe(400);
        expect(res.body.data?.error.code).toBe("bad_request");
      });

      it("refuses a form whose content type carries a JSON parameter, with 400, not 500", async () => {
        const res = await post("abc", "application/x-www-form-urlencoded; x=application/json");
        expect(res.status).toBe(400);
        expect(res.body.data?.error.code).toBe("bad_request");
      });

      it("refuses a 10 MB body with 413 before reading it all", async () => {
        const res = await post("a".repeat(10 * 1024 * 1024), "application/x-www-form-urlencoded");
        expect(res.status).toBe(413);
        expect(res.body.data?.error.code).toBe("payload_too_large");
      });
    });
  }

  it("answers a GET of the credentials callback, and a POST to an action no page posts to, with 405", async () => {
    expectError(await api(server.url).get("/api/auth/callback/credentials"), 405, "method_not_allowed");
    for (const action of ["session", "csrf", "providers", "_log", "nonsense"]) {
      const res = await api(server.url).request("POST", `/api/auth/${action}`, {
        body: "a=b",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expectError(res, 405, "method_not_allowed");
    }
  });

  it("still signs in and out with ordinary forms", async () => {
    const cookie = await signIn(server.url, ada.email, ada.password);
    expect(cookie).not.toBeNull();
    expect((await api(server.url, cookie ?? "").get("/api/me")).status).toBe(200);
    expect((await signOut(server.url, cookie ?? "")).status).toBe(200);
    expectError(await api(server.url, cookie ?? "").get("/api/me"), 401, "unauthorized");
  });
});
