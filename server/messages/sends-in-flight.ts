/**
 * Counts the sends being stored, by conversation, and tells when the next of
 * a conversation's sends is stored: that send's message is reported in the
 * same turn of the event loop (server/realtime/message-groups.ts relies on it).
 */
export function sendsInFlight() {
  const byConversation = new Map<string, { count: number; stored: Promise<void>; resolve: () => void }>();
  const pending = () => {
    let resolve = () => {};
    const stored = new Promise<void>((r) => (resolve = r));
    return { stored, resolve };
  };
  return {
    begin: (conversationId: string) => {
      const entry = byConversation.get(conversationId);
      if (entry) entry.count++;
      else byConversation.set(conversationId, { count: 1, ...pending() });
    },
    end: (conversationId: string) => {
      const entry = byConversation.get(conversationId);
      if (!entry) return;
      entry.resolve();
      entry.count--;
      if (entry.count === 0) byConversation.delete(conversationId);
      else Object.assign(entry, pending());
    },
    /** Settles when the next send to the conversation is stored or refused; undefined when none is in flight. */
    nextStored: (conversationId: string): Promise<void> | undefined => byConversation.get(conversationId)?.stored,
  };
}
