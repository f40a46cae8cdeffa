import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_MESSAGE_LENGTH, messageSchema, type ErrorCode, type Message } from "@/lib/protocol";
import { channelDirectory, createChannel, fullHistory, generalId, sendMessage } from "../helpers/chat";
import {
  api,
  expectBody,
  expectError,
  signIn,
  signUpAndSignIn,
  type ApiResponse,
  type SignedInUser,
} from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  captureMessages,
  connectionRefusal,
  connectSocket,
  emitUntyped,
  emitUntypedWithAck,
  errorAckSchema,
  nextDisconnect,
  type Capture,
  type ClientSocket,
} from "../helpers/socket";

/** An HTTP request with any method, through node:http; the body comes back parsed when it is JSON. */
function rawRequest(baseUrl: string, method: string, path: string, cookie: string): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { method, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const headers = new Headers(Object.entries(res.headers).map(([k, v]): [string, string] => [k, String(v)]));
        const json = headers.get("content-type")?.includes("json");
        resolve({ status: res.statusCode ?? 0, headers, body: json ? (JSON.parse(text) as unknown) : text });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sends one request line as is, and resolves with the status line and headers of the answer. */
function rawHead(baseUrl: string, requestLine: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${requestLine}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("end", () => resolve(received.split("\r\n\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}

describe("bad input", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let general: string;
  /** A channel Bob created and Alice is not in. */
  let bobsChannel: string;
  let aliceSocket: ClientSocket;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };
  /** Everything Bob's socket hears in #general and his channel: bad input must add nothing. */
  let bobHears: Capture<Message>;

  /** Message counts of both conversations, read through Bob, who is in both. */
  const storedCounts = async () => ({
    general: (await fullHistory(server.url, bob.cookie, general)).length,
    bobsChannel: (await fullHistory(server.url, bob.cookie, bobsChannel)).length,
  });
  /** Runs `attempt`, then checks that nothing was stored or broadcast. */
  const expectNothingStored = async (attempt: () => Promise<void>) => {
    const before = await storedCounts();
    const heardBefore = bobHears.events.length;
    await attempt();
    expect(await storedCounts()).toEqual(before);
    expect(bobHears.events.length).toBe(heardBefore);
  };

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    general = await generalId(server.url, alice.cookie);
    bobsChannel = (await createChannel(server.url, bob.cookie, "bobs-corner")).id;
    aliceSocket = await connect(alice);
    bobHears = captureMessages(await connect(bob));
    // Something already stored, so that "unchanged" is not just "still empty".
    await sendMessage(aliceSocket, general, "hello");
    await sendMessage(await connect(bob), bobsChannel, "my channel");
    await bobHears.waitFor(2);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  describe("over the socket", () => {
    const valid = () => ({ conversationId: general, clientMessageId: randomUUID(), text: "fine" });

    it.each<[string, () => Record<string, unknown>, ErrorCode]>([
      ["empty text", () => ({ ...valid(), text: "" }), "bad_request"],
      ["whitespace-only text", () => ({ ...valid(), text: " \n\t  " }), "bad_request"],
      ["only invisible characters", () => ({ ...valid(), text: "\u200b\u2060\ufeff\u00ad \u3000" }), "bad_request"],
      ["16,001 characters", () => ({ ...valid(), text: "x".repeat(MAX_MESSAGE_LENGTH + 1) }), "bad_request"],
      ["a NUL character", () => ({ ...valid(), text: "before\u0000after" }), "bad_request"],
      ["an unpaired low surrogate", () => ({ ...valid(), text: "é\udfff" }), "bad_request"],
      ["an unpaired high surrogate at the end", () => ({ ...valid(), text: "abc\ud800" }), "bad_request"],
      ["200 KB of text", () => ({ ...valid(), text: "x".repeat(200_000) }), "bad_request"],
      ["text that is a number", () => ({ ...valid(), text: 42 }), "bad_request"],
      ["an unknown conversation", () => ({ ...valid(), conversationId: randomUUID() }), "not_found"],
      ["a conversation id that is not a UUID", () => ({ ...valid(), conversationId: "general" }), "bad_request"],
      ["a channel the sender is not in", () => ({ ...valid(), conversationId: bobsChannel }), "forbidden"],
      ["a clientMessageId that is not a UUID", () => ({ ...valid(), clientMessageId: "1" }), "bad_request"],
      ["no text", () => ({ conversationId: general, clientMessageId: randomUUID() }), "bad_request"],
      ["no conversationId", () => ({ clientMessageId: randomUUID(), text: "x" }), "bad_request"],
      ["no clientMessageId", () => ({ conversationId: general, text: "x" }), "bad_request"],
      ["an empty object", () => ({}), "bad_request"],
    ])("refuses %s with an error ack", async (_, payload, code) => {
      await expectNothingStored(async () => {
        const ack = errorAckSchema.parse(await emitUntypedWithAck(aliceSocket, "message:send", [payload()]));
        expect(ack.error.code).toBe(code);
        expect(ack.error.message).not.toBe("");
      });
    });

    it.each<[string, unknown]>([
      ["a string", "hello"],
      ["null", null],
      ["a number", 42],
      ["an array", [general, randomUUID(), "hello"]],
      ["a boolean", true],
    ])("refuses %s instead of an object", async (_, payload) => {
      await expectNothingStored(async () => {
        const ack = errorAckSchema.parse(await emitUntypedWithAck(aliceSocket, "message:send", [payload]));
        expect(ack.error.code).toBe("bad_request");
      });
    });

    it("answers a send with no payload at all", async () => {
      await expectNothingStored(async () => {
        const ack = errorAckSchema.parse(await emitUntypedWithAck(aliceSocket, "message:send", [], 2_000));
        expect(ack.error.code).toBe("bad_request");
      });
    });

    it("answers a send with a second payload, storing neither", async () => {
      await expectNothingStored(async () => {
        const ack = errorAckSchema.parse(
          await emitUntypedWithAck(aliceSocket, "message:send", [valid(), valid()], 2_000),
        );
        expect(ack.error).toEqual({ code: "bad_request", message: "message:send takes one payload" });
      });
    });

    it("ignores a send without an acknowledgement callback", async () => {
      await expectNothingStored(async () => {
        emitUntyped(aliceSocket, "message:send", [valid()]);
        // Proving absence: give a wrongly stored message time to be broadcast.
        await bobHears.settle();
      });
    });

    it("accepts exactly 16,000 characters", async () => {
      const text = "y".repeat(MAX_MESSAGE_LENGTH);
      const heardBefore = bobHears.events.length;
      const message = await sendMessage(aliceSocket, general, text);
      expect(message.text).toBe(text);
      expect((await bobHears.waitFor(heardBefore + 1)).at(-1)).toEqual(message);
    });

    it("drops a socket that sends more than the 1 MB frame limit, and nothing else", async () => {
      const socket = await connect(alice);
      const dropped = nextDisconnect(socket);
      await expectNothingStored(async () => {
        socket.emit("message:send", { ...valid(), text: "z".repeat(1_100_000) }, () => {});
        expect(await dropped).toBe("transport close");
      });
      expect(aliceSocket.connected).toBe(true);
    });
  });

  describe("over HTTP", () => {
    const messagesPath = () => `/api/conversations/${general}/messages`;
    const validBody = () => JSON.stringify({ clientMessageId: randomUUID(), text: "fine" });
    const post = (body: string, headers: Record<string, string>) =>
      api(server.url, alice.cookie).request("POST", messagesPath(), { body, headers });

    it("refuses a body that is not JSON", async () => {
      await expectNothingStored(async () => {
        const res = await post("{ text: oops", { "content-type": "application/json" });
        expectError(res, 400, "bad_request");
      });
    });

    it("refuses a content type other than JSON", async () => {
      await expectNothingStored(async () => {
        expectError(await post(validBody(), { "content-type": "text/plain" }), 400, "bad_request");
        const form = new URLSearchParams({ clientMessageId: randomUUID(), text: "fine" }).toString();
        expectError(await post(form, { "content-type": "application/x-www-form-urlencoded" }), 400, "bad_request");
      });
    });

    it("refuses a body over 64 KiB with 413", async () => {
      await expectNothingStored(async () => {
        const body = JSON.stringify({ clientMessageId: randomUUID(), text: "x".repeat(64 * 1024) });
        expectError(await post(body, { "content-type": "application/json" }), 413, "payload_too_large");
        const signUp = await api(server.url).post("/api/signup", { name: "x".repeat(70_000) });
        expectError(signUp, 413, "payload_too_large");
      });
    });

    it("refuses bad message fields", async () => {
      await expectNothingStored(async () => {
        for (const body of [
          { clientMessageId: randomUUID(), text: "" },
          { clientMessageId: randomUUID(), text: "x".repeat(MAX_MESSAGE_LENGTH + 1) },
          { clientMessageId: "not-a-uuid", text: "x" },
          { text: "x" },
          ["x"],
          null,
        ]) {
          expectError(await post(JSON.stringify(body), { "content-type": "application/json" }), 400, "bad_request");
        }
        const aliceApi = api(server.url, alice.cookie);
        const body = { clientMessageId: randomUUID(), text: "x" };
        expectError(await aliceApi.post(`/api/conversations/${randomUUID()}/messages`, body), 404, "not_found");
        expectError(await aliceApi.post("/api/conversations/general/messages", body), 400, "bad_request");
        expectError(await aliceApi.post(`/api/conversations/${bobsChannel}/messages`, body), 403, "forbidden");
      });
    });

    it.each<[string, Record<string, string>]>([
      ["a NUL in the name", { name: "Mal\u0000lory" }],
      ["an unpaired surrogate in the name", { name: "Mal\udfffory" }],
      ["an unpaired surrogate in the workspace name", { workspaceName: "Team \ud800" }],
      ["a NUL in the password", { password: "long enough pass\u0000word" }],
    ])("refuses a sign-up with %s, creating no one", async (_, fields) => {
      const email = `${randomUUID()}@example.test`;
      const body = { name: "Mallory", email, password: "a long and unusual passphrase", ...fields };
      expectError(await api(server.url).post("/api/signup", body), 400, "bad_request");
      expect(await signIn(server.url, email, body.password)).toBeNull();
    });

    it.each<[string, Record<string, string>]>([
      ["a NUL in the topic", { name: "fine-name", topic: "a\u0000b" }],
      ["an unpaired surrogate in the topic", { name: "fine-name", topic: "\udc00 topic" }],
      ["a NUL in the name", { name: "bad\u0000name" }],
      ["an unpaired surrogate in the name", { name: "bad\ud800" }],
    ])("refuses a channel with %s, creating nothing", async (_, body) => {
      const before = await channelDirectory(server.url, alice.cookie);
      expectError(await api(server.url, alice.cookie).post("/api/channels", body), 400, "bad_request");
      expect(await channelDirectory(server.url, alice.cookie)).toEqual(before);
    });

    it.each(["TRACE", "PROPFIND", "PURGE"])("answers %s on any route with 405, not 500", async (method) => {
      for (const path of ["/", "/api/me", "/api/auth/session", `/c/${general}`, "/healthz", "/signin"]) {
        // fetch refuses to send TRACE.
        const res = await rawRequest(server.url, method, path, alice.cookie);
        expectError(res, 405, "method_not_allowed");
        expect(res.headers.get("allow")).toContain("GET");
      }
    });

    it("answers a malformed percent-encoding in a route parameter with 400, not 500", async () => {
      const aliceApi = api(server.url, alice.cookie);
      expectError(await aliceApi.get("/api/conversations/%E0%A4%A/messages"), 400, "bad_request");
      expectError(await aliceApi.post("/api/conversations/%ZZ/join", {}), 400, "bad_request");
      expectError(await aliceApi.get("/c/%E0%A4%A"), 400, "bad_request");
      expectError(await aliceApi.get("/api/auth/%E0"), 400, "bad_request");
    });

    it("answers a request target that is not a path with 400, not 500 or a redirect elsewhere", async () => {
      for (const line of ["OPTIONS * HTTP/1.1", "GET * HTTP/1.1", "GET http://evil.example/signin HTTP/1.1"]) {
        const head = await rawHead(server.url, line);
        expect(head, line).toMatch(/^HTTP\/1\.1 400 /);
        expect(head, line).not.toMatch(/location:/i);
      }
    });

    it("refuses an Origin that differs from this site only in scheme or port", async () => {
      const site = new URL(server.url);
      for (const origin of [`https://${site.host}`, `${site.protocol}//${site.hostname}:1`]) {
        await expectNothingStored(async () => {
          expectError(await post(validBody(), { "content-type": "application/json", origin }), 403, "forbidden");
          const refusal = await connectionRefusal(server.url, alice.cookie, { headers: { origin } });
          // Refused by the transport, before the session is looked at.
          expect(refusal.message).toBe("websocket error");
        });
      }
    });

    it("refuses writes from a foreign Origin, and accepts its own", async () => {
      await expectNothingStored(async () => {
        const res = await post(validBody(), { "content-type": "application/json", origin: "https://evil.example" });
        expectError(res, 403, "forbidden");
        const channel = await api(server.url, alice.cookie).post(
          "/api/channels",
          { name: "evil" },
          { headers: { origin: "https://evil.example" } },
        );
        expectError(channel, 403, "forbidden");
        const leave = await api(server.url, bob.cookie).request("POST", `/api/conversations/${bobsChannel}/leave`, {
          headers: { origin: "null" },
        });
        expectError(leave, 403, "forbidden");
      });
      const own = await post(validBody(), { "content-type": "application/json", origin: server.url });
      expectBody(own, 201, z.object({ message: messageSchema }));
    });
  });

  it("stays up and keeps working after all of that", async () => {
    expect((await api(server.url).get("/healthz")).status).toBe(200);
    expect((await api(server.url).get("/readyz")).status).toBe(200);
    const before = await storedCounts();
    const heardBefore = bobHears.events.length;
    const message = await sendMessage(aliceSocket, general, "still here");
    expect(await bobHears.waitFor(heardBefore + 1)).toContainEqual(message);
    expect(await storedCounts()).toEqual({ ...before, general: before.general + 1 });
  });
});
