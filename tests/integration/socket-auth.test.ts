import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { createChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import {
  captureEvents,
  connectionRefusal,
  connectSocket,
  emitWithAck,
  type ClientSocket,
  type Transport,
} from "../helpers/socket";

const transports: Transport[][] = [["websocket"], ["polling"]];

describe("socket handshake authentication", () => {
  let server: TestServer;
  let alice: SignedInUser;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUpAndSignIn(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  const sessionCookie = async (secret: string, sid: string) =>
    `next-auth.session-token=${await encode({ token: { sid, sub: alice.user.id }, secret })}`;

  describe.each(transports)("over %s", (transport) => {
    it("connects with a valid session cookie", async () => {
      const socket = await connectSocket(server.url, alice.cookie, [transport]);
      expect(socket.connected).toBe(true);
      expect(socket.io.engine.transport.name).toBe(transport);
      socket.close();
    });

    it("refuses a handshake without a cookie", async () => {
      const error = await connectionRefusal(server.url, undefined, { transports: [transport] });
      expect(error.message).toBe("unauthorized");
    });

    it("refuses a garbage session cookie", async () => {
      const error = await connectionRefusal(server.url, "next-auth.session-token=not-a-jwt", {
        transports: [transport],
      });
      expect(error.message).toBe("unauthorized");
    });

    it("refuses a token sealed with another secret", async () => {
      const forged = await sessionCookie("a".repeat(43), randomUUID());
      const error = await connectionRefusal(server.url, forged, { transports: [transport] });
      expect(error.message).toBe("unauthorized");
    });

    it("refuses a well-sealed token naming no session", async () => {
      const forged = await sessionCookie(server.authSecret, randomUUID());
      const error = await connectionRefusal(server.url, forged, { transports: [transport] });
      expect(error.message).toBe("unauthorized");
    });

    it("refuses a well-sealed token whose session id is not a UUID", async () => {
      const forged = await sessionCookie(server.authSecret, "not-a-uuid");
      const error = await connectionRefusal(server.url, forged, { transports: [transport] });
      expect(error.message).toBe("unauthorized");
    });

    it("refuses a foreign Origin even with a valid cookie", async () => {
      const error = await connectionRefusal(server.url, alice.cookie, {
        transports: [transport],
        headers: { origin: "https://evil.example" },
      });
      // Refused by the transport, before the session is even looked at.
      expect(error.message).toBe(transport === "websocket" ? "websocket error" : "xhr poll error");
    });

    it("accepts its own Origin", async () => {
      const socket = await connectSocket(server.url, alice.cookie, [transport], { origin: server.url });
      expect(socket.connected).toBe(true);
      socket.close();
    });
  });
});

/**
 * Handshakes and history pages that arrive together are answered by one query
 * each (server/db/batched.ts): every socket must still come out as its own
 * user, in its own rooms, reading only what it may read.
 */
describe("many handshakes and history pages at once", () => {
  let server: TestServer;
  let people: { user: SignedInUser; channelId: string }[];

  beforeAll(async () => {
    server = await startTestServer();
    people = [];
    for (let i = 0; i < 3; i++) {
      const user = await signUpAndSignIn(server.url);
      const channel = await createChannel(server.url, user.cookie, uniqueChannelName(`own${i}`));
      people.push({ user, channelId: channel.id });
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("tells each socket its own user and conversations, and serves each page to its reader only", async () => {
    const others = (i: number) => people.filter((_, j) => j !== i).map((p) => p.channelId);
    const crowd = people.flatMap((person, i) =>
      Array.from({ length: 4 }, () => {
        const socket: ClientSocket = io(server.url, {
          transports: ["websocket"],
          extraHeaders: { cookie: person.user.cookie },
          forceNew: true,
          reconnection: false,
          autoConnect: false,
        });
        return { socket, sync: captureEvents(socket, "conversations:sync"), person, i };
      }),
    );
    const connected = crowd.map(
      ({ socket }) =>
        new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("connect_error", reject)),
    );
    for (const { socket } of crowd) socket.connect();
    try {
      await Promise.all(connected);
      for (const { sync, person, i } of crowd) {
        const [states] = await sync.waitFor(1);
        const ids = states!.conversations.map((s) => s.id);
        expect(ids).toContain(person.channelId);
        for (const other of others(i)) expect(ids).not.toContain(other);
      }

      const sent = await Promise.all(
        crowd.map(({ socket, person }, k) => sendMessage(socket, person.channelId, `from socket ${k}`)),
      );
      sent.forEach((message, k) => expect(message.sender.id).toBe(crowd[k]!.person.user.user.id));

      // All at once: each socket reads its own channel and tries a channel it is not in.
      const pages = await Promise.all(
        crowd.map(({ socket, person }) =>
          emitWithAck(socket, "messages:history", { conversationId: person.channelId }),
        ),
      );
      const refusals = await Promise.all(
        crowd.map(({ socket, i }) => emitWithAck(socket, "messages:history", { conversationId: others(i)[0]! })),
      );
      pages.forEach((ack, k) => {
        const { person } = crowd[k]!;
        if (!ack.ok) throw new Error(`history refused: ${ack.error.message}`);
        expect(ack.data.messages.map((m) => m.text).sort()).toEqual(
          sent
            .filter((m) => m.conversationId === person.channelId)
            .map((m) => m.text)
            .sort(),
        );
      });
      for (const ack of refusals) expect(ack.ok ? "served" : ack.error.code).toBe("forbidden");
    } finally {
      for (const { socket } of crowd) socket.close();
    }
  });
});
