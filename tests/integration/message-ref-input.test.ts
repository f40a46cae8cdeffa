import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, fullHistory, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitUntypedWithAck, type ClientSocket } from "../helpers/socket";

describe("a message named by something other than its sequence number", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let socket: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("refs"))).id;
    socket = await connectSocket(server.url, alice.cookie);
    await sendMessage(socket, channel, "one");
    await sendMessage(socket, channel, "two");
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  it("is refused as bad_request over the socket, changing nothing", async () => {
    const codeOf = async (seq: unknown) => {
      const ack = (await emitUntypedWithAck(socket, "reaction:add", [
        { conversationId: channel, seq, emoji: "🎉" },
      ])) as { ok: true } | { ok: false; error: { code: string } };
      return ack.ok ? "ok" : ack.error.code;
    };
    expect({
      "an array": await codeOf([2]),
      "a boolean": await codeOf(true),
      "a hex string": await codeOf("0x2"),
      "an exponent": await codeOf("2e0"),
    }).toEqual({
      "an array": "bad_request",
      "a boolean": "bad_request",
      "a hex string": "bad_request",
      "an exponent": "bad_request",
    });
    const stored = await fullHistory(server.url, alice.cookie, channel);
    expect(stored.flatMap((m) => m.reactions)).toEqual([]);
  });

  it("is refused as 400 in a URL", async () => {
    const res = await api(server.url, alice.cookie).request("PATCH", `/api/conversations/${channel}/messages/0x2`, {
      json: { text: "edited through an alias" },
    });
    expect(res.status).toBe(400);
    const stored = await fullHistory(server.url, alice.cookie, channel);
    expect(stored.map((m) => m.text)).toEqual(["one", "two"]);
  });

  it("bounds a history page by whole numbers only, in a URL and over the socket", async () => {
    const page = (query: string) =>
      api(server.url, alice.cookie).get(`/api/conversations/${channel}/messages?${query}`);
    for (const query of ["before=1e3", "before=0x2", "before=abc", "after=-1", "after=1.5", "limit=0", "limit=201"]) {
      const res = await page(query);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({ error: { code: "bad_request" } });
    }
    expect((await page("before=2&limit=1")).body).toMatchObject({ messages: [{ text: "one" }] });
    const ack = (await emitUntypedWithAck(socket, "messages:history", [{ conversationId: channel, before: true }])) as {
      ok: boolean;
    };
    expect(ack.ok).toBe(false);
  });
});
