const CONVERSATION = "conversation:";

/** Room names, in one place so that joins and emits cannot drift apart. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  conversation: (conversationId: string) => `${CONVERSATION}${conversationId}`,
  isConversation: (room: string) => room.startsWith(CONVERSATION),
};
