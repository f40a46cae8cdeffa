import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectionRefusal, connectSocket, type Transport } from "../helpers/socket";

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
