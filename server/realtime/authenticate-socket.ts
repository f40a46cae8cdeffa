import { userFromCookieHeader } from "@/server/auth/current-user";
import { listMyConversationIds } from "@/server/conversations/list-my-conversations";
import type { ParleySocket } from "./types";

/**
 * Handshake middleware: no session, no socket. The conversation ids are loaded
 * here, before the client hears it is connected, so the rooms can be joined in
 * the same tick as the connection and no message slips between the two.
 */
export async function authenticateSocket(socket: ParleySocket, next: (error?: Error) => void): Promise<void> {
  try {
    const user = await userFromCookieHeader(socket.request.headers.cookie);
    if (!user) return next(new Error("unauthorized"));
    socket.data.user = { ...user, socketId: socket.id };
    socket.data.conversationIds = await listMyConversationIds(user.id);
    next();
  } catch (error) {
    console.error("Socket authentication failed", error);
    next(new Error("internal"));
  }
}
