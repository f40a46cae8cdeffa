import type { ErrorCode, WireError } from "@/lib/protocol";
import { tokenFromCookieHeader } from "@/server/auth/current-user";
import { socketUserForSession } from "@/server/auth/sessions";
import type { ParleySocket } from "./types";

/**
 * Handshake middleware: no session, no socket. The conversation ids are loaded
 * here, before the client hears it is connected, so the rooms can be joined in
 * the same tick as the connection and no message slips between the two.
 */
export async function authenticateSocket(socket: ParleySocket, next: (error?: Error) => void): Promise<void> {
  try {
    const token = await tokenFromCookieHeader(socket.request.headers.cookie);
    const found = token ? await socketUserForSession(token.sessionId) : null;
    if (!token || !found) return next(handshakeError("unauthorized", "Sign in to continue"));
    socket.data.user = { ...found.user, socketId: socket.id };
    socket.data.conversationIds = found.conversationIds;
    // The first of the two moments after which this handshake would be refused.
    socket.data.sessionExpiresMs = Math.min(token.expiresMs, found.expiresMs);
    next();
  } catch (error) {
    console.error("Socket authentication failed", error);
    next(handshakeError("internal", "The server could not check the session; try again"));
  }
}

/**
 * The client cannot tell a refused session from a server in trouble by the message alone, and
 * Socket.IO does not retry after a middleware error by itself: `data` carries the code it decides on.
 */
function handshakeError(code: ErrorCode, message: string): Error & { data: WireError } {
  return Object.assign(new Error(code), { data: { code, message } });
}
