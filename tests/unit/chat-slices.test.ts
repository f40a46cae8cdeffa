import { describe, expect, it } from "vitest";
import type { Conversation, Message } from "@/lib/protocol";
import { unreadCount } from "@/lib/client/engine/slices/conversations";
import { withMentions, type ChatAction } from "@/lib/client/engine/actions";
import { createChatStore } from "@/lib/client/engine/slices";
import { lastHeldSeq, skipsAhead } from "@/lib/client/engine/slices/messages";
import { channel } from "../helpers/chat-engine-fakes";

const conversationId = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";
const otherId = "b0000000-0000-4000-8000-000000000000";

const conversation = (id: string, name: string): Conversation => channel(id, name);

const message = (seq: number, id = conversationId): Message => ({
  id: String(seq),
  conversationId: id,
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

function storeAfter(...actions: ChatAction[]) {
  const store = createChatStore();
  for (const action of actions) store.dispatch(action);
  return store;
}

describe("chat slices", () => {
  it("keeps conversations in id order, whatever order they came in, and replaces a rejoined one", () => {
    const state = storeAfter(
      {
        type: "conversations-loaded",
        conversations: [conversation(otherId, "random"), conversation(conversationId, "general")],
      },
      { type: "conversation-joined", conversation: { ...conversation(conversationId, "general"), topic: "again" } },
    ).getState();
    expect(state.conversations.map((c) => [c.name, c.topic])).toEqual([
      ["general", "again"],
      ["random", ""],
    ]);
  });

  it("applies a conversation's new shared state and feed position, keeping what is the person's own", () => {
    const state = storeAfter(
      { type: "conversations-loaded", conversations: [{ ...conversation(conversationId, "design"), lastReadSeq: 4 }] },
      { type: "messages-received", conversationId, messages: [message(6)] },
      {
        type: "conversation-changed",
        info: { ...conversation(conversationId, "design-team"), topic: "Pixels", memberCount: 9 },
        changeSeq: 12,
      },
    ).getState();
    expect(state.conversations[0]).toMatchObject({
      name: "design-team",
      topic: "Pixels",
      memberCount: 9,
      changeSeq: 12,
      lastSeq: 6,
      lastReadSeq: 4,
    });
    expect(unreadCount(state.conversations[0]!)).toBe(2);
  });

  it("moves a read position forward only", () => {
    const store = storeAfter(
      { type: "conversations-loaded", conversations: [conversation(conversationId, "design")] },
      { type: "read-moved", conversationId, lastReadSeq: 5 },
      { type: "read-moved", conversationId, lastReadSeq: 3 },
    );
    expect(store.getState().conversations[0]?.lastReadSeq).toBe(5);
  });

  it("keeps the reader's unread mentions as messages come, change and are read", () => {
    const reader = "3c3c3c3c-0000-4000-8000-000000000003";
    const mentioning = (seq: number, text: string): Message => ({ ...message(seq), text });
    const store = createChatStore();
    const dispatch = (action: ChatAction) => store.dispatch(withMentions(action, reader));
    const seqs = () => store.getState().conversations[0]?.mentionSeqs;
    dispatch({
      type: "conversations-loaded",
      conversations: [{ ...conversation(conversationId, "design"), mentionSeqs: [2] }],
    });

    dispatch({
      type: "messages-received",
      conversationId,
      messages: [mentioning(3, `<@${reader}> look`), mentioning(4, "plain"), mentioning(5, "<!here>")],
    });
    expect(seqs()).toEqual([2, 3, 5]);
    dispatch({ type: "message-changed", message: mentioning(3, "never mind"), changeSeq: null });
    expect(seqs()).toEqual([2, 5]);
    dispatch({ type: "message-changed", message: mentioning(4, "<!channel> after all"), changeSeq: null });
    expect(seqs()).toEqual([2, 4, 5]);
    dispatch({ type: "read-moved", conversationId, lastReadSeq: 4 });
    expect(seqs()).toEqual([5]);
    // A sync gives the server's as it read them, and keeps those heard live after it.
    dispatch({ type: "messages-received", conversationId, messages: [mentioning(7, "<!here> again")] });
    dispatch({
      type: "last-seqs-synced",
      lastSeqs: [{ id: conversationId, lastSeq: 6, mentionSeqs: [5, 6] }],
      at: "2026-11-24T10:00:00.000Z",
    });
    expect(seqs()).toEqual([5, 6, 7]);
    // One's own @channel calls no one.
    dispatch({
      type: "messages-received",
      conversationId,
      messages: [{ ...mentioning(8, "<!channel>"), sender: { id: reader, name: "Me" } }],
    });
    expect(seqs()).toEqual([5, 6, 7]);
  });

  it("keeps a loaded member list live and ignores changes of lists never loaded", () => {
    const ann = { id: "a0000000-0000-4000-8000-000000000000", name: "Ann" };
    const zoe = { id: "c0000000-0000-4000-8000-000000000000", name: "Zoe" };
    const bob = { id: "b0000000-0000-4000-8000-000000000001", name: "Bob" };
    const state = storeAfter(
      { type: "conversations-loaded", conversations: [conversation(conversationId, "design")] },
      { type: "members-loaded", conversationId, members: [ann, zoe] },
      { type: "member-changed", conversationId, userId: bob.id, member: bob, changeSeq: 3 },
      { type: "member-changed", conversationId, userId: zoe.id, member: null, changeSeq: 4 },
      { type: "member-changed", conversationId: otherId, userId: bob.id, member: bob, changeSeq: 1 },
    ).getState();
    expect(state.members[conversationId]?.map((m) => m.name)).toEqual(["Ann", "Bob"]);
    expect(state.members[otherId]).toBeUndefined();
    expect(state.conversations[0]?.changeSeq).toBe(4);
  });

  it("drops the history of a conversation that was left, and of its threads held", () => {
    const threadId = "c0000000-0000-4000-8000-000000000001";
    const root: Message = {
      ...message(1),
      thread: { threadId, replyCount: 1, lastReplyAt: "2026-11-24T10:01:00.000Z", replierIds: [message(1).sender.id] },
    };
    const state = storeAfter(
      { type: "conversations-loaded", conversations: [conversation(conversationId, "design")] },
      { type: "history-loaded", conversationId, messages: [root], hasOlder: false },
      { type: "history-loaded", conversationId: threadId, messages: [message(1, threadId)], hasOlder: false },
      { type: "history-loaded", conversationId: otherId, messages: [message(1, otherId)], hasOlder: false },
      { type: "conversation-left", conversationId },
    ).getState();
    expect(state.conversations).toEqual([]);
    expect(Object.keys(state.messages)).toEqual([otherId]);
  });

  it("does not start a history from a live message of a conversation never opened", () => {
    const state = storeAfter({ type: "messages-received", conversationId, messages: [message(9)] }).getState();
    expect(lastHeldSeq(state.messages, conversationId)).toBeNull();
  });

  it("adds live messages to an open history and tracks the last sequence number held", () => {
    const state = storeAfter(
      { type: "history-loaded", conversationId, messages: [message(1), message(2)], hasOlder: true },
      { type: "messages-received", conversationId, messages: [message(3)] },
      { type: "messages-received", conversationId, messages: [message(3), message(4)] },
    ).getState();
    expect(state.messages[conversationId]?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(lastHeldSeq(state.messages, conversationId)).toBe(4);
  });

  it("keeps hasOlder when catch-up pages arrive and updates it when older pages do", () => {
    const store = storeAfter(
      { type: "history-loaded", conversationId, messages: [message(51)], hasOlder: true },
      { type: "history-loaded", conversationId, messages: [message(52)] },
    );
    expect(store.getState().messages[conversationId]?.hasOlder).toBe(true);
    store.dispatch({ type: "history-loaded", conversationId, messages: [message(50)], hasOlder: false });
    expect(store.getState().messages[conversationId]?.hasOlder).toBe(false);
  });

  it("moves a conversation's lastSeq with its messages, never back", () => {
    const store = storeAfter(
      { type: "conversations-loaded", conversations: [conversation(conversationId, "general")] },
      { type: "messages-received", conversationId, messages: [message(7)] },
    );
    expect(store.getState().conversations[0]?.lastSeq).toBe(7);
    store.dispatch({ type: "history-loaded", conversationId, messages: [message(3)] });
    expect(store.getState().conversations[0]?.lastSeq).toBe(7);
  });

  it("sees a hole when live messages skip a number past the newest held or past each other", () => {
    expect(skipsAhead(2, [message(3), message(4)])).toBe(false);
    expect(skipsAhead(4, [message(3), message(4)])).toBe(false);
    expect(skipsAhead(2, [message(4)])).toBe(true);
    expect(skipsAhead(2, [message(3), message(5)])).toBe(true);
  });
});

describe("slice subscriptions", () => {
  it("wakes only the readers of the slices an action changed, and keeps the others' identity", () => {
    const store = storeAfter(
      { type: "conversations-loaded", conversations: [conversation(conversationId, "general")] },
      { type: "history-loaded", conversationId, messages: [message(1)] },
      { type: "history-loaded", conversationId: otherId, messages: [message(1, otherId)] },
    );
    const woken: string[] = [];
    for (const key of ["conversations", "messages", "outbox", "connection"] as const) {
      store.subscribe(key, () => woken.push(key));
    }
    const before = store.getState();

    store.dispatch({ type: "connection-changed", connection: "connected" });
    expect(woken).toEqual(["connection"]);

    woken.length = 0;
    store.dispatch({ type: "messages-received", conversationId, messages: [message(2)] });
    expect(woken.sort()).toEqual(["conversations", "messages"]);
    const after = store.getState();
    expect(after.outbox).toBe(before.outbox);
    expect(after.messages[otherId]).toBe(before.messages[otherId]);
    expect(after.messages[conversationId]).not.toBe(before.messages[conversationId]);
  });

  it("wakes nobody for an action that changes nothing", () => {
    const store = storeAfter({ type: "history-loaded", conversationId, messages: [message(1)] });
    let woken = 0;
    for (const key of ["conversations", "messages", "outbox", "connection"] as const) {
      store.subscribe(key, () => woken++);
    }
    const before = store.getState();
    store.dispatch({ type: "messages-received", conversationId: otherId, messages: [message(5, otherId)] });
    store.dispatch({ type: "conversation-left", conversationId: otherId });
    store.dispatch({ type: "outbox-items-removed", clientMessageIds: ["nothing-here"] });
    store.dispatch({ type: "connection-changed", connection: "connecting" });
    expect(woken).toBe(0);
    expect(store.getState()).toBe(before);
  });

  it("stops calling a listener once unsubscribed", () => {
    const store = createChatStore();
    let woken = 0;
    const stop = store.subscribe("connection", () => woken++);
    store.dispatch({ type: "connection-changed", connection: "connected" });
    stop();
    store.dispatch({ type: "connection-changed", connection: "disconnected" });
    expect(woken).toBe(1);
  });
});
