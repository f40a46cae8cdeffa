import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import type { ChatAction } from "@/lib/client/engine/actions";
import { createChatStore } from "@/lib/client/engine/slices";
import { lastHeldSeq } from "@/lib/client/engine/slices/messages";
import { FakeServer, general, settle, Tab } from "../helpers/chat-engine-fakes";

const message = (seq: number): Message => ({
  id: String(seq),
  conversationId: general,
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

function historyAfter(...actions: ChatAction[]) {
  const store = createChatStore();
  for (const action of actions) store.dispatch(action);
  return store.getState().messages;
}

const windowAround = (from: number, to: number, anchor: number): ChatAction => ({
  type: "history-window-loaded",
  conversationId: general,
  messages: range(from, to),
  hasOlder: true,
  hasNewer: true,
  anchor,
});

describe("a window on older messages", () => {
  it("replaces what was held and has nothing to catch up on", () => {
    const histories = historyAfter(
      { type: "history-loaded", conversationId: general, messages: range(951, 1000), hasOlder: true },
      windowAround(251, 349, 300),
    );
    const held = histories[general]!;
    expect(held.messages.map((m) => m.seq)).toEqual(range(251, 349).map((m) => m.seq));
    expect(held).toMatchObject({ hasOlder: true, hasNewer: true, anchor: 300 });
    expect(lastHeldSeq(histories, general)).toBeNull();
  });

  it("does not append live messages after a gap, and takes newer pages until it reaches the newest", () => {
    const histories = historyAfter(
      windowAround(251, 349, 300),
      { type: "messages-received", conversationId: general, messages: [message(1001)] },
      { type: "history-loaded", conversationId: general, messages: range(350, 399), hasNewer: true },
      { type: "history-loaded", conversationId: general, messages: range(400, 1001), hasNewer: false },
      { type: "messages-received", conversationId: general, messages: [message(1002)] },
    );
    const seqs = histories[general]!.messages.map((m) => m.seq);
    expect(seqs).toEqual(range(251, 1002).map((m) => m.seq));
    expect(lastHeldSeq(histories, general)).toBe(1002);
  });

  it("drops a page that does not adjoin what is held: one asked for next to a window since replaced", () => {
    const histories = historyAfter(
      { type: "history-loaded", conversationId: general, messages: range(951, 1000), hasOlder: true },
      windowAround(251, 349, 300),
      { type: "history-loaded", conversationId: general, messages: range(901, 950), hasOlder: true },
    );
    expect(histories[general]!.messages.map((m) => m.seq)).toEqual(range(251, 349).map((m) => m.seq));
  });

  it("keeps the feed's changes of messages not held for the window that comes to hold them", () => {
    const edited = { ...message(300), text: "edited", editedAt: "2026-11-24T11:00:00.000Z" };
    const histories = historyAfter(
      { type: "history-loaded", conversationId: general, messages: range(951, 1000), hasOlder: true },
      { type: "message-changed", message: edited, changeSeq: 7 },
      windowAround(251, 349, 300),
    );
    expect(histories[general]!.messages.find((m) => m.seq === 300)?.text).toBe("edited");
  });
});

const tabs: Tab[] = [];
function connectedTab(server: FakeServer): Tab {
  const tab = new Tab(server);
  tabs.push(tab);
  tab.engine.start();
  tab.socket.accept();
  return tab;
}
afterEach(() => {
  for (const tab of tabs.splice(0)) tab.engine.stop();
});

function serverWith(count: number): FakeServer {
  const server = new FakeServer();
  for (let i = 1; i <= count; i++) server.store(general, `m${i}`);
  return server;
}
const heldSeqs = (tab: Tab) => tab.engine.store.getState().messages[general]?.messages.map((m) => m.seq) ?? [];

describe("opening a conversation at a message", () => {
  it("reads a page on each side of it, and keeps the newest page when the message is already held", async () => {
    const server = serverWith(400);
    const tab = connectedTab(server);
    await tab.engine.actions.openConversation(general, 100);
    expect(tab.socket.historyRequests).toEqual([
      { conversationId: general, before: 101 },
      { conversationId: general, after: 100 },
    ]);
    expect(heldSeqs(tab)).toEqual(range(51, 150).map((m) => m.seq));
    expect(tab.engine.store.getState().messages[general]).toMatchObject({ hasOlder: true, hasNewer: true });

    await tab.engine.actions.openConversation(general, 120);
    expect(tab.socket.historyRequests).toHaveLength(2);
  });

  it("says not_found for a number past the newest message, and holds nothing", async () => {
    const server = serverWith(10);
    const tab = connectedTab(server);
    await expect(tab.engine.actions.openConversation(general, 11)).rejects.toMatchObject({ code: "not_found" });
    expect(tab.engine.store.getState().messages[general]).toBeUndefined();
  });

  it("loads newer pages to the newest, then fetches what was heard live meanwhile", async () => {
    const server = serverWith(160);
    const tab = connectedTab(server);
    await tab.engine.actions.openConversation(general, 20);
    server.broadcast([server.store(general, "m161")]);
    await settle();
    expect(heldSeqs(tab).at(-1)).toBe(70);

    await tab.engine.actions.loadNewer(general);
    expect(tab.engine.store.getState().messages[general]?.hasNewer).toBe(true);
    // The last page is read before the next message is stored, and that message is heard before it comes.
    const reading = tab.engine.actions.loadNewer(general);
    server.broadcast([server.store(general, "m162")]);
    await reading;
    await settle();
    expect(tab.engine.store.getState().messages[general]?.hasNewer).toBe(false);
    expect(heldSeqs(tab)).toEqual(range(1, 162).map((m) => m.seq));
  });

  it("jumps to the newest page, and does so by itself when the reader sends a message", async () => {
    const server = serverWith(300);
    const tab = connectedTab(server);
    await tab.engine.actions.openConversation(general, 20);
    await tab.engine.actions.jumpToLatest(general);
    expect(heldSeqs(tab)).toEqual(range(251, 300).map((m) => m.seq));
    expect(tab.engine.store.getState().messages[general]).toMatchObject({ hasNewer: false, anchor: undefined });

    await tab.engine.actions.openConversation(general, 20);
    tab.engine.actions.send(general, "hello");
    await settle();
    await settle();
    expect(heldSeqs(tab)).toEqual(range(251, 301).map((m) => m.seq));
  });

  it("catches up after a reconnect only where the newest messages are held", async () => {
    const server = serverWith(300);
    const tab = connectedTab(server);
    await tab.engine.actions.openConversation(general, 20);
    tab.socket.drop("transport close");
    server.store(general, "while away");
    tab.socket.historyRequests.length = 0;
    tab.runScheduled();
    tab.socket.accept();
    await settle();
    expect(tab.socket.historyRequests).toEqual([]);
  });
});
