import { describe, expect, it } from "vitest";
import type { ChatAction } from "@/lib/client/engine/actions";
import { createChatStore } from "@/lib/client/engine/slices";
import type { Message } from "@/lib/protocol";

const conversationId = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";
const reactor = "9c0d0b5b-6c1e-4d2f-8a3b-5e6f7a8b9c0d";

const message = (seq: number): Message => ({
  id: String(seq),
  conversationId,
  seq,
  sender: { id: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d", name: "Ana" },
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  text: `m${seq}`,
  createdAt: "2026-11-24T10:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  reactions: [],
  linkPreview: null,
  thread: null,
  alsoSentFrom: null,
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

function shownAfter(...actions: ChatAction[]): Message | undefined {
  const store = createChatStore();
  for (const action of actions) store.dispatch(action);
  return store.getState().messages[conversationId]?.messages.find((m) => m.seq === 10);
}

/**
 * Scrolling up: the page of older messages is read, then a change to one of them arrives live, then
 * the page (read before the change) arrives. The change came while the message was not held yet.
 */
describe("a change to a message whose page is still on its way", () => {
  const newest: ChatAction = { type: "history-loaded", conversationId, messages: range(51, 100), hasOlder: true };
  const olderPage: ChatAction = { type: "history-loaded", conversationId, messages: range(1, 50), hasOlder: false };

  it("is not undone by the page: a deleted message stays deleted", () => {
    const deleted = { ...message(10), text: "", deletedAt: "2026-11-24T10:05:00.000Z" };
    const shown = shownAfter(newest, { type: "message-changed", message: deleted, changeSeq: 7 }, olderPage);
    expect(shown?.deletedAt).toBe(deleted.deletedAt);
    expect(shown?.text).toBe("");
  });

  it("is not undone by the page: an edit stays", () => {
    const edited = { ...message(10), text: "fixed", editedAt: "2026-11-24T10:05:00.000Z" };
    const shown = shownAfter(newest, { type: "message-changed", message: edited, changeSeq: 7 }, olderPage);
    expect(shown?.text).toBe("fixed");
  });

  it("is not undone by the page: new reactions stay", () => {
    const reactions = [{ emoji: "🎉", userIds: [reactor] }];
    const changed: ChatAction = { type: "reactions-changed", conversationId, seq: 10, reactions, changeSeq: 7 };
    expect(shownAfter(newest, changed, olderPage)?.reactions).toEqual(reactions);
  });
});
