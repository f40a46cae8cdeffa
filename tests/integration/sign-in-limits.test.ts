import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, expectError, getCsrf, signUpAndSignIn, uniqueEmail, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";

/** One credentials sign-in as next-auth's client sends it; extra headers as a proxy (or a liar) would add them. */
async function attemptSignIn(
  baseUrl: string,
  csrf: { token: string; cookie: string },
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const res = await fetch(new URL("/api/auth/callback/credentials", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.cookie, ...headers },
    body: new URLSearchParams({ csrfToken: csrf.token, email, password, json: "true" }),
    redirect: "manual",
  });
  await res.body?.cancel();
  return res;
}

const randomAddress = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
const signedIn = (res: Response) => res.headers.getSetCookie().some((c) => /^next-auth\.session-token=[^;]/.test(c));

describe("sign-in and sign-up limits, with X-Forwarded-For ignored (no trusted proxy)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await signUpAndSignIn(server.url, { workspaceName: "Limits" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("counts a spoofed X-Forwarded-For against the socket's own address", async () => {
    const csrf = await getCsrf(server.url);
    const answers = await Promise.all(
      Array.from({ length: 110 }, () =>
        attemptSignIn(server.url, csrf, uniqueEmail(), "not the password", { "x-forwarded-for": randomAddress() }),
      ),
    );
    const refused = answers.filter((res) => res.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(Number(refused[0]?.headers.get("retry-after"))).toBeGreaterThan(0);
    // A forged copy of the server's own client-address header is replaced too.
    const forged = await attemptSignIn(server.url, csrf, uniqueEmail(), "not the password", {
      "x-parley-client-ip": "192.0.2.1",
      "x-forwarded-for": "192.0.2.1",
    });
    expect(forged.status).toBe(429);
  });
});

describe("sign-in and sign-up limits behind a trusted proxy", () => {
  let server: TestServer;
  let victim: SignedInUser;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUSTED_PROXIES: "127.0.0.1,::1" } });
    victim = await signUpAndSignIn(server.url, { workspaceName: "Limits" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses a burst of wrong passwords for one account before argon2, then the right one too", async () => {
    const csrf = await getCsrf(server.url);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        attemptSignIn(server.url, csrf, i % 2 ? victim.email : victim.email.toUpperCase(), `wrong ${i}`, {
          "x-forwarded-for": `203.0.113.${(i % 200) + 1}`,
        }),
      ),
    );
    const tried = answers.filter((res) => res.status !== 429);
    expect(tried.length).toBeLessThanOrEqual(10);
    expect(tried.some(signedIn)).toBe(false);

    const right = await fetch(new URL("/api/auth/callback/credentials", server.url), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: csrf.cookie,
        "x-forwarded-for": "192.0.2.200",
      },
      body: new URLSearchParams({
        csrfToken: csrf.token,
        email: victim.email,
        password: victim.password,
        json: "true",
      }),
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(signedIn(right)).toBe(false);
    const body = (await right.json()) as { error: { code: string; message: string }; url: string };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/^Too many sign-in attempts for this account\. Try again in \d+ minutes\.$/);
    // next-auth's client reads the refusal from the url's error parameter.
    expect(new URL(body.url).searchParams.get("error")).toBe(body.error.message);
  });

  it("limits each client address, taken as the rightmost hop that is not a trusted proxy", async () => {
    const csrf = await getCsrf(server.url);
    const from = (forwardedFor: string) =>
      attemptSignIn(server.url, csrf, uniqueEmail(), "not the password", { "x-forwarded-for": forwardedFor });
    const answers = await Promise.all(Array.from({ length: 100 }, () => from("192.0.2.7")));
    expect(answers.filter((res) => res.status === 429)).toEqual([]);

    expect((await from("192.0.2.7")).status).toBe(429);
    // The proxy appended its own hop: still 192.0.2.7.
    expect((await from("192.0.2.7, 127.0.0.1")).status).toBe(429);
    // What the client wrote to the left of the proxy's hop proves nothing either way.
    expect((await from("192.0.2.7, 192.0.2.8")).status).toBe(401);
    expect((await from("192.0.2.8")).status).toBe(401);
  });

  it("spends the account's attempts whatever path, field order or content type carries the sign-in", async () => {
    const person = await signUpAndSignIn(server.url);
    const csrf = await getCsrf(server.url);
    const post = (path: string, body: string, contentType = "application/x-www-form-urlencoded") =>
      fetch(new URL(path, server.url), {
        method: "POST",
        headers: { "content-type": contentType, cookie: csrf.cookie, "x-forwarded-for": randomAddress() },
        body,
        redirect: "manual",
      });
    const form = (fields: [string, string][]) =>
      new URLSearchParams([["csrfToken", csrf.token], ...fields, ["json", "true"]]).toString();
    const wrong = Array.from({ length: 200 }, (_, i) =>
      post(
        "/api/auth/callback/credentials/x",
        form([
          ["email", person.email],
          ["password", `wrong ${i}`],
        ]),
      ),
    );
    const tried = (await Promise.all(wrong)).filter((res) => res.status !== 429);
    expect(tried.length).toBeLessThanOrEqual(10);

    const right = form([
      ["email", person.email],
      ["password", person.password],
    ]);
    for (const path of [
      "/api/auth/callback/credentials",
      "/api/auth/callback/credential%73",
      "/api/auth/callback/credentials/x/y",
    ]) {
      const res = await post(path, right);
      expect(res.status, path).toBe(429);
      expect(signedIn(res)).toBe(false);
    }
    const withJsonParameter = await post(
      "/api/auth/callback/credentials",
      right,
      "application/x-www-form-urlencoded; x=application/json",
    );
    expect(withJsonParameter.status).toBe(400);
    expect(signedIn(withJsonParameter)).toBe(false);
    const decoyFirst = form([
      ["email", uniqueEmail()],
      ["email", person.email],
      ["password", person.password],
    ]);
    const repeated = await post("/api/auth/callback/credentials", decoyFirst);
    expect(repeated.status).toBe(400);
    expect(signedIn(repeated)).toBe(false);
    const json = JSON.stringify({
      csrfToken: csrf.token,
      email: person.email,
      password: person.password,
      json: "true",
    });
    const asJson = await post(
      "/api/auth/callback/credentials",
      json,
      "application/json; x=application/x-www-form-urlencoded",
    );
    expect(asJson.status).toBe(400);
    expect(signedIn(asJson)).toBe(false);
  });

  it("limits sign-ups per address, with Retry-After", async () => {
    const signUpFrom = (address: string) =>
      api(server.url).post(
        "/api/signup",
        { name: "Many", email: uniqueEmail(), password: "kettle quartz meadow 42" },
        { headers: { "x-forwarded-for": address } },
      );
    for (let i = 0; i < 30; i++) expect((await signUpFrom("192.0.2.50")).status).toBe(201);
    const refused = await signUpFrom("192.0.2.50");
    expect(expectError(refused, 429, "rate_limited").message).toMatch(/Too many sign-ups/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signUpFrom("192.0.2.51")).status).toBe(201);
  });

  it("spends no sign-up attempt on a form the server refuses as invalid", async () => {
    const weakFrom = (address: string) =>
      api(server.url).post(
        "/api/signup",
        { name: "Typo", email: uniqueEmail(), password: "password123!" },
        { headers: { "x-forwarded-for": address } },
      );
    for (let i = 0; i < 35; i++) expectError(await weakFrom("192.0.2.60"), 400, "bad_request");
    const valid = await api(server.url).post(
      "/api/signup",
      { name: "Fixed", email: uniqueEmail(), password: "kettle quartz meadow 42" },
      { headers: { "x-forwarded-for": "192.0.2.60" } },
    );
    expect(valid.status).toBe(201);
  });
});

describe("no account enumeration", () => {
  let server: TestServer;
  let owner: SignedInUser;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await signUpAndSignIn(server.url, { workspaceName: "Enumeration" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers a sign-up with a taken email exactly as a new one, creating nothing", async () => {
    const attempt = (email: string) =>
      api(server.url).post("/api/signup", { name: "Mallory", email, password: "kettle quartz meadow 42" });
    const fresh = await attempt(uniqueEmail());
    const taken = await attempt(owner.email.toUpperCase());
    expect(taken.status).toBe(fresh.status);
    expect(taken.headers.get("content-type")).toBe(fresh.headers.get("content-type"));
    const withoutIds = (body: unknown) => {
      const { user } = body as { user: Record<string, unknown> };
      return { user: { ...user, id: typeof user.id, email: typeof user.email } };
    };
    expect(withoutIds(taken.body)).toEqual(withoutIds(fresh.body));
    expect((taken.body as { user: { id: string } }).user.id).not.toBe(owner.user.id);

    // Nothing changed: the owner's password still works, the caller's does not.
    const csrf = await getCsrf(server.url);
    expect(signedIn(await attemptSignIn(server.url, csrf, owner.email, "kettle quartz meadow 42"))).toBe(false);
    expect(signedIn(await attemptSignIn(server.url, csrf, owner.email, owner.password))).toBe(true);
  });

  it("refuses a weak password with the reason", async () => {
    const weak = await api(server.url).post("/api/signup", {
      name: "Weak",
      email: uniqueEmail(),
      password: "password123!",
    });
    expect(expectError(weak, 400, "bad_request").message).toMatch(/^password: .*common/);
    const email = `someone-${randomUUID().slice(0, 6)}@example.test`;
    const own = await api(server.url).post("/api/signup", { name: "Own", email, password: `${email}!` });
    expect(expectError(own, 400, "bad_request").message).toMatch(/email/);
  });
});

const shared = ["TEST_DATABASE_URL", "REDIS_URL"].every((name) => process.env[name]);

describe.skipIf(!shared)("sign-in limits across processes sharing Redis", () => {
  let cluster: TestCluster;
  let person: SignedInUser;

  beforeAll(async () => {
    cluster = await startCluster(2);
    person = await signUpAndSignIn(cluster.servers[0]!.url, { workspaceName: "Cluster" });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("counts wrong passwords on one process against sign-ins on the other", async () => {
    const [one, two] = cluster.servers as [TestServer, TestServer];
    const csrfOne = await getCsrf(one.url);
    for (let i = 0; i < 10; i++) {
      expect((await attemptSignIn(one.url, csrfOne, person.email, `wrong ${i}`)).status).toBe(401);
    }
    const right = await attemptSignIn(two.url, await getCsrf(two.url), person.email, person.password);
    expect(right.status).toBe(429);
  });
});
