import { sessionIdFromCookieHeader } from "@/server/auth/current-user";
import { socketUserForSession } from "@/server/auth/sessions";
import type { ParleySocket } from "./types";

/**
 * Handshake middleware: no session, no socket. The conversation ids are loaded
 * here, before the client hears it is connected, so the rooms can be joined in
 * the same tick as the connection and no message slips between the two.
 */
export async function authenticateSocket(socket: ParleySocket, next: (error?: Error) => void): Promise<void> {
  try {
    const sessionId = await sessionIdFromCookieHeader(socket.request.headers.cookie);
    const found = sessionId ? await socketUserForSession(sessionId) : null;
    if (!found) return next(new Error("unauthorized"));
    socket.data.user = { ...found.user, socketId: socket.id };
    socket.data.conversationIds = found.conversationIds;
    next();
  } catch (error) {
    console.error("Socket authentication failed", error);
    next(new Error("internal"));
  }
}
