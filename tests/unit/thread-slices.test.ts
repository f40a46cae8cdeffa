import { describe, expect, it } from "vitest";
import type { FollowedThread, Message, ThreadSummary } from "@/lib/protocol";
import type { ChatAction } from "@/lib/client/engine/actions";
import { createChatStore } from "@/lib/client/engine/slices";
import { followedThreads, unreadThreadMentions, unreadThreads } from "@/lib/client/engine/slices/threads";

const parentId = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";
const threadId = "b0000000-0000-4000-8000-000000000001";
const otherThread = "b0000000-0000-4000-8000-000000000002";
const ana = "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d";

const message = (seq: number, conversationId = parentId, thread: ThreadSummary | null = null): Message => ({
  id: String(seq),
  conversationId,
  seq,
  sender: { id: ana, name: "Ana" },
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  text: `m${seq}`,
  createdAt: "2026-11-24T10:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  reactions: [],
  linkPreview: null,
  thread,
  alsoSentFrom: null,
});

const summary = (replyCount: number): ThreadSummary => ({
  threadId,
  replyCount,
  lastReplyAt: "2026-11-24T10:05:00.000Z",
  replierIds: [ana],
});

const followed = (id: string, lastSeq: number, lastReadSeq: number): FollowedThread => ({
  id,
  parentId,
  rootSeq: 1,
  root: message(1, parentId, summary(lastSeq)),
  lastSeq,
  lastReadSeq,
  mentionSeqs: [],
  changeSeq: 0,
});

/** A followed thread of the message `rootSeq`, whose latest reply came at 10:`minute`. */
const followedAt = (id: string, rootSeq: number, lastSeq: number, lastReadSeq: number, minute: number) => {
  const lastReplyAt = `2026-11-24T10:${String(minute).padStart(2, "0")}:00.000Z`;
  const thread = { threadId: id, replyCount: lastSeq, lastReplyAt, replierIds: [ana] };
  return {
    id,
    parentId,
    rootSeq,
    root: message(rootSeq, parentId, thread),
    lastSeq,
    lastReadSeq,
    mentionSeqs: [],
    changeSeq: 0,
  };
};

function stateAfter(...actions: ChatAction[]) {
  const store = createChatStore();
  for (const action of actions) store.dispatch(action);
  return store.getState();
}

describe("the threads slice", () => {
  it("counts unread replies from positions only, as the server does", () => {
    const state = stateAfter(
      { type: "threads-loaded", threads: [followed(threadId, 3, 1), followed(otherThread, 2, 2)] },
      { type: "messages-received", conversationId: otherThread, messages: [message(3, otherThread)] },
    );
    expect(unreadThreads(state.threads)).toBe(2);
    const read = stateAfter(
      { type: "threads-loaded", threads: [followed(threadId, 3, 1)] },
      { type: "read-moved", conversationId: threadId, lastReadSeq: 3 },
    );
    expect(unreadThreads(read.threads)).toBe(0);
  });

  it("keeps positions moved here when an older list arrives, and never moves them back", () => {
    const state = stateAfter(
      { type: "threads-loaded", threads: [followed(threadId, 2, 1)] },
      { type: "read-moved", conversationId: threadId, lastReadSeq: 4 },
      { type: "thread-summary-changed", conversationId: parentId, seq: 1, thread: summary(4), changeSeq: 1 },
      { type: "threads-loaded", threads: [followed(threadId, 3, 2)] },
      { type: "read-moved", conversationId: threadId, lastReadSeq: 2 },
    );
    expect(state.threads.followed[threadId]).toMatchObject({ lastSeq: 4, lastReadSeq: 4 });
    expect(unreadThreads(state.threads)).toBe(0);
  });

  it("counts replies that name the reader until read, but not one whose copy in the conversation counts there", () => {
    const reply = (seq: number) => message(seq, threadId);
    const copy = { ...message(5), alsoSentFrom: { threadId, rootSeq: 1, seq: 3 } };
    const received = (conversationId: string, m: Message, named: number[]): ChatAction => ({
      type: "messages-received",
      conversationId,
      messages: [m],
      named,
    });
    const loaded: ChatAction = { type: "threads-loaded", threads: [followed(threadId, 1, 1)] };
    const [two, three] = [received(threadId, reply(2), [2]), received(threadId, reply(3), [3])];
    // The copy may come before or after its reply: either way, its mention is the conversation's.
    for (const order of [
      [two, three, received(parentId, copy, [])],
      [two, received(parentId, copy, []), three],
    ]) {
      const state = stateAfter(loaded, ...order);
      expect(state.threads.followed[threadId]?.mentionSeqs).toEqual([2]);
      expect(unreadThreadMentions(state.threads)).toBe(1);
    }
    const read = stateAfter(loaded, two, { type: "read-moved", conversationId: threadId, lastReadSeq: 2 });
    expect(unreadThreadMentions(read.threads)).toBe(0);
  });

  it("forgets a thread unfollowed, and ignores threads not followed", () => {
    const state = stateAfter(
      { type: "threads-loaded", threads: [followed(threadId, 1, 0)] },
      { type: "thread-unfollowed", threadId },
      { type: "messages-received", conversationId: threadId, messages: [message(2, threadId)] },
    );
    expect(state.threads.followed).toEqual({});
  });

  it("puts a newer summary on its root, never an older one", () => {
    const state = stateAfter(
      { type: "history-loaded", conversationId: parentId, messages: [message(1)] },
      { type: "thread-summary-changed", conversationId: parentId, seq: 1, thread: summary(3), changeSeq: 1 },
      { type: "thread-summary-changed", conversationId: parentId, seq: 1, thread: summary(2), changeSeq: 2 },
    );
    expect(state.messages[parentId]?.messages[0]?.thread).toEqual(summary(3));
  });

  it("keeps each root live, and lists threads with unread replies first, then by their latest reply", () => {
    const loaded: ChatAction = {
      type: "threads-loaded",
      threads: [followedAt(threadId, 1, 2, 2, 5), followedAt(otherThread, 2, 1, 1, 1)],
    };
    const order = (...actions: ChatAction[]) =>
      followedThreads(stateAfter(loaded, ...actions).threads).map((t) => t.id);
    expect(order()).toEqual([threadId, otherThread]);

    const replied: ChatAction[] = [
      { type: "messages-received", conversationId: otherThread, messages: [message(2, otherThread)] },
      {
        type: "thread-summary-changed",
        conversationId: parentId,
        seq: 2,
        thread: followedAt(otherThread, 2, 2, 0, 10).root.thread!,
        changeSeq: 1,
      },
    ];
    expect(order(...replied)).toEqual([otherThread, threadId]);
    const other = stateAfter(loaded, ...replied).threads.followed[otherThread]!;
    expect(other).toMatchObject({ lastSeq: 2, lastReadSeq: 1, root: { thread: { replyCount: 2 } } });
    // Read, it is still the one with the latest reply.
    expect(order(...replied, { type: "read-moved", conversationId: otherThread, lastReadSeq: 2 })).toEqual([
      otherThread,
      threadId,
    ]);
    // A reply read where it came in (one's own) does not put its thread first.
    expect(
      order(
        { type: "messages-received", conversationId: threadId, messages: [message(3, threadId)] },
        {
          type: "read-moved",
          conversationId: threadId,
          lastReadSeq: 3,
        },
      ),
    ).toEqual([threadId, otherThread]);

    const root = followedAt(threadId, 1, 2, 2, 5).root;
    const changed = stateAfter(
      loaded,
      { type: "message-changed", message: { ...root, text: "edited", thread: null }, changeSeq: 2 },
      {
        type: "reactions-changed",
        conversationId: parentId,
        seq: 1,
        reactions: [{ emoji: "👍", userIds: [ana] }],
        changeSeq: 3,
      },
    ).threads.followed[threadId]!.root;
    expect(changed).toMatchObject({
      text: "edited",
      reactions: [{ emoji: "👍", userIds: [ana] }],
      thread: root.thread,
    });
  });

  it("keeps the root's newer summary and edit when an older list arrives", () => {
    const root = followedAt(threadId, 1, 2, 2, 5).root;
    const edited = { ...root, text: "edited", editedAt: "2026-11-24T10:30:00.000Z" };
    const state = stateAfter(
      { type: "threads-loaded", threads: [followedAt(threadId, 1, 2, 2, 5)] },
      { type: "message-changed", message: edited, changeSeq: 1 },
      {
        type: "thread-summary-changed",
        conversationId: parentId,
        seq: 1,
        thread: followedAt(threadId, 1, 3, 0, 20).root.thread!,
        changeSeq: 2,
      },
      { type: "threads-loaded", threads: [followedAt(threadId, 1, 2, 2, 5)] },
    );
    expect(state.threads.followed[threadId]?.root).toMatchObject({ text: "edited", thread: { replyCount: 3 } });
  });
});
