import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { userSchema, workspaceSchema } from "@/lib/protocol";
import { channelDirectory, myConversations } from "../helpers/chat";
import { api, expectBody, expectError, signIn, signOut, signUpAndSignIn, uniqueEmail } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, nextDisconnect } from "../helpers/socket";

const meSchema = z.object({ user: userSchema });
const signUpBody = (overrides: Record<string, unknown> = {}) => ({
  name: "Ada",
  email: uniqueEmail(),
  password: "long enough password",
  ...overrides,
});

// The order matters: the first successful sign-up creates the workspace.
describe("accounts", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses the first sign-up without a workspace name, creating nothing", async () => {
    const res = await api(server.url).post("/api/signup", signUpBody());
    expect(expectError(res, 400, "bad_request").message).toMatch(/workspace/i);
    const workspace = expectBody(await api(server.url).get("/api/workspace"), 200, workspaceSchema);
    expect(workspace).toEqual({ name: null, needsSetup: true });
  });

  it("refuses a password shorter than 10 characters", async () => {
    const res = await api(server.url).post("/api/signup", signUpBody({ password: "q7#Zk!x2v", workspaceName: "Acme" }));
    expect(expectError(res, 400, "bad_request").message).toMatch(/password: Use at least 10 characters/);
  });

  it("refuses an invalid email and a missing name", async () => {
    const anonymous = api(server.url);
    expectError(
      await anonymous.post("/api/signup", signUpBody({ email: "not-an-email", workspaceName: "Acme" })),
      400,
      "bad_request",
    );
    expectError(
      await anonymous.post("/api/signup", signUpBody({ name: "   ", workspaceName: "Acme" })),
      400,
      "bad_request",
    );
    const workspace = expectBody(await anonymous.get("/api/workspace"), 200, workspaceSchema);
    expect(workspace.needsSetup).toBe(true);
  });

  let admin: Awaited<ReturnType<typeof signUpAndSignIn>>;

  it("makes the first person the admin of a new workspace with #general", async () => {
    admin = await signUpAndSignIn(server.url, { name: "Ada", workspaceName: "Acme" });
    expect(admin.user).toMatchObject({ name: "Ada", email: admin.email, role: "admin" });

    const workspace = expectBody(await api(server.url).get("/api/workspace"), 200, workspaceSchema);
    expect(workspace).toEqual({ name: "Acme", needsSetup: false });

    const me = expectBody(await api(server.url, admin.cookie).get("/api/me"), 200, meSchema);
    expect(me.user).toEqual(admin.user);

    const conversations = await myConversations(server.url, admin.cookie);
    expect(conversations).toEqual([expect.objectContaining({ kind: "channel", name: "general", isPrivate: false })]);
    expect(await channelDirectory(server.url, admin.cookie)).toEqual([
      expect.objectContaining({ name: "general", memberCount: 1, isMember: true }),
    ]);
  });

  it("makes later people members who are in #general, and keeps the workspace name", async () => {
    const member = await signUpAndSignIn(server.url, { name: "Bob", workspaceName: "Ignored" });
    expect(member.user).toMatchObject({ name: "Bob", role: "member" });

    const workspace = expectBody(await api(server.url).get("/api/workspace"), 200, workspaceSchema);
    expect(workspace.name).toBe("Acme");
    const [general] = await myConversations(server.url, member.cookie);
    expect(general?.name).toBe("general");
    expect(general?.id).toBe((await myConversations(server.url, admin.cookie))[0]?.id);
    expect(await channelDirectory(server.url, member.cookie)).toEqual([
      expect.objectContaining({ name: "general", memberCount: 2, isMember: true }),
    ]);
  });

  it("creates no second account for a taken email, whatever its case, without saying it is taken", async () => {
    for (const email of [admin.email, admin.email.toUpperCase()]) {
      const res = await api(server.url).post("/api/signup", signUpBody({ email }));
      expect(expectBody(res, 201, meSchema).user.id).not.toBe(admin.user.id);
      expect(await signIn(server.url, email, signUpBody().password)).toBeNull();
    }
    expect(await signIn(server.url, admin.email, admin.password)).not.toBeNull();
  });

  it("signs in with the right password only", async () => {
    expect(await signIn(server.url, admin.email, "wrong password")).toBeNull();
    expect(await signIn(server.url, uniqueEmail(), admin.password)).toBeNull();
    const cookie = await signIn(server.url, admin.email.toUpperCase(), admin.password);
    expect(cookie).not.toBeNull();
    expect(expectBody(await api(server.url, cookie ?? "").get("/api/me"), 200, meSchema).user.id).toBe(admin.user.id);
  });

  it("answers 401 without a session", async () => {
    expectError(await api(server.url).get("/api/me"), 401, "unauthorized");
    expectError(await api(server.url, "next-auth.session-token=forged").get("/api/me"), 401, "unauthorized");
    expectError(await api(server.url).get("/api/conversations"), 401, "unauthorized");
    expectError(await api(server.url).post("/api/channels", { name: "nope" }), 401, "unauthorized");
  });

  it("ends a session on the server at sign-out, disconnecting its socket but not other sessions", async () => {
    const cookie = await signIn(server.url, admin.email, admin.password);
    if (!cookie) throw new Error("sign-in failed");
    const socket = await connectSocket(server.url, cookie);
    const otherSessionSocket = await connectSocket(server.url, admin.cookie);
    const disconnected = nextDisconnect(socket);

    const res = await signOut(server.url, cookie);
    expect(res.status).toBe(200);

    expect(await disconnected).toBe("io server disconnect");
    // The cookie still decodes, but its session row is gone.
    expectError(await api(server.url, cookie).get("/api/me"), 401, "unauthorized");
    await expect(connectSocket(server.url, cookie)).rejects.toThrow("unauthorized");
    // The other session is untouched.
    expect(otherSessionSocket.connected).toBe(true);
    expect((await api(server.url, admin.cookie).get("/api/me")).status).toBe(200);
    otherSessionSocket.close();
  });
});

describe("two first sign-ups at once", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("create one workspace and one admin; the others join as members", async () => {
    const attempts = await Promise.all(
      ["First", "Second", "Third"].map((workspaceName) =>
        api(server.url).post("/api/signup", signUpBody({ name: workspaceName, workspaceName })),
      ),
    );
    const users = attempts.map((res) => expectBody(res, 201, meSchema).user);
    expect(users.map((u) => u.role).sort()).toEqual(["admin", "member", "member"]);
    const admin = users.find((u) => u.role === "admin");

    const workspace = expectBody(await api(server.url).get("/api/workspace"), 200, workspaceSchema);
    expect(workspace).toEqual({ name: admin?.name, needsSetup: false });
    const someone = await signUpAndSignIn(server.url);
    expect(await channelDirectory(server.url, someone.cookie)).toEqual([
      expect.objectContaining({ name: "general", memberCount: 4 }),
    ]);
  });
});
