import { describe, expect, it } from "vitest";
import type { Conversation, Message } from "@/lib/protocol";
import { chatReducer, initialChatState, lastHeldSeq, skipsAhead } from "@/lib/client/chat-state";

const conversationId = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";

const conversation = (id: string, name: string): Conversation => ({
  id,
  kind: "channel",
  name,
  topic: "",
  isPrivate: false,
  lastSeq: 0,
  lastReadSeq: 0,
});

const message = (seq: number, id = conversationId): Message => ({
  id: String(seq),
  conversationId: id,
  seq,
  sender: { id: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d", name: "Ana" },
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  text: `m${seq}`,
  createdAt: "2026-11-24T10:00:00.000Z",
  editedAt: null,
});

describe("chatReducer", () => {
  it("lists conversations by name and replaces a rejoined one", () => {
    let state = chatReducer(initialChatState([]), {
      type: "conversations-loaded",
      conversations: [
        conversation("b0000000-0000-4000-8000-000000000000", "random"),
        conversation(conversationId, "general"),
      ],
    });
    state = chatReducer(state, { type: "conversation-joined", conversation: conversation(conversationId, "general") });
    expect(state.conversations.map((c) => c.name)).toEqual(["general", "random"]);
  });

  it("drops the history of a conversation that was left", () => {
    let state = chatReducer(initialChatState([]), {
      type: "conversations-loaded",
      conversations: [conversation(conversationId, "design")],
    });
    state = chatReducer(state, { type: "history-loaded", conversationId, messages: [message(1)], hasOlder: false });
    state = chatReducer(state, { type: "conversation-left", conversationId });
    expect(state.conversations).toEqual([]);
    expect(state.histories[conversationId]).toBeUndefined();
  });

  it("does not start a history from a live message of a conversation never opened", () => {
    const state = chatReducer(initialChatState([]), {
      type: "messages-received",
      conversationId,
      messages: [message(9)],
    });
    expect(lastHeldSeq(state, conversationId)).toBeNull();
  });

  it("adds live messages to an open history and tracks the last sequence number held", () => {
    let state = chatReducer(initialChatState([]), {
      type: "history-loaded",
      conversationId,
      messages: [message(1), message(2)],
      hasOlder: true,
    });
    state = chatReducer(state, { type: "messages-received", conversationId, messages: [message(3)] });
    state = chatReducer(state, { type: "messages-received", conversationId, messages: [message(3), message(4)] });
    expect(state.histories[conversationId]?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(lastHeldSeq(state, conversationId)).toBe(4);
  });

  it("keeps hasOlder when catch-up pages arrive and updates it when older pages do", () => {
    let state = chatReducer(initialChatState([]), {
      type: "history-loaded",
      conversationId,
      messages: [message(51)],
      hasOlder: true,
    });
    state = chatReducer(state, { type: "history-loaded", conversationId, messages: [message(52)] });
    expect(state.histories[conversationId]?.hasOlder).toBe(true);
    state = chatReducer(state, { type: "history-loaded", conversationId, messages: [message(50)], hasOlder: false });
    expect(state.histories[conversationId]?.hasOlder).toBe(false);
  });

  it("sees a hole when live messages skip a number past the newest held or past each other", () => {
    expect(skipsAhead(2, [message(3), message(4)])).toBe(false);
    expect(skipsAhead(4, [message(3), message(4)])).toBe(false);
    expect(skipsAhead(2, [message(4)])).toBe(true);
    expect(skipsAhead(2, [message(3), message(5)])).toBe(true);
  });
});
