import { afterEach, describe, expect, it } from "vitest";
import {
  channel,
  FakeBrowser,
  FakeServer,
  general,
  me,
  other,
  random,
  settle,
  Tab,
} from "../helpers/chat-engine-fakes";

const designId = "9b3e3c74-ac65-4e7a-9c3b-2f7d9e3a4c32";

const tabs: Tab[] = [];
function openTab(server: FakeServer, browser?: FakeBrowser): Tab {
  const tab = new Tab(server, browser);
  tabs.push(tab);
  tab.engine.start();
  return tab;
}

afterEach(() => {
  for (const tab of tabs.splice(0)) tab.engine.stop();
});

describe("connecting", () => {
  it("retries a refused or failed connection after a growing delay, and starts over once connected", () => {
    const tab = openTab(new FakeServer());
    expect(tab.socket.connectCalls).toBe(1);
    tab.socket.refuse({ code: "internal", message: "try again" });
    tab.socket.emit("connect_error", new Error("websocket error"));
    expect(tab.scheduled.filter((s) => !s.cancelled).map((s) => s.ms)).toEqual([500]);
    expect(tab.scheduled.map((s) => s.ms)).toEqual([250, 500]);
    tab.runScheduled();
    expect(tab.socket.connectCalls).toBe(2);
    tab.socket.accept();
    expect(tab.engine.store.getState().connection).toBe("connected");
    tab.socket.drop("transport close");
    expect(tab.engine.store.getState().connection).toBe("disconnected");
    expect(tab.scheduled.map((s) => s.ms)).toEqual([250]);
    expect(tab.navigations).toEqual([]);
  });

  it("sends the page to sign in when the handshake is refused as unauthorized, without retrying", () => {
    const tab = openTab(new FakeServer());
    tab.socket.refuse({ code: "unauthorized", message: "Sign in to continue" });
    expect(tab.navigations).toEqual(["/signin"]);
    expect(tab.scheduled).toEqual([]);
  });

  it("after the server let go of the socket, asks whether the session is over before retrying", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.socket.accept();
    tab.socket.drop("io server disconnect");
    await settle();
    expect(tab.navigations).toEqual([]);
    expect(tab.scheduled.map((s) => s.ms)).toEqual([250]);

    tab.runScheduled();
    tab.socket.accept();
    server.sessionOver = true;
    tab.socket.drop("io server disconnect");
    await settle();
    expect(tab.navigations).toEqual(["/signin"]);
    expect(tab.scheduled).toEqual([]);
  });

  it("does not reconnect after a disconnect it asked for, and reconnects at once when back online", () => {
    const tab = openTab(new FakeServer());
    tab.socket.accept();
    tab.socket.disconnect();
    expect(tab.scheduled).toEqual([]);

    tab.socket.emit("connect_error", new Error("websocket error"));
    tab.goOnline();
    expect(tab.socket.connectCalls).toBe(2);
    expect(tab.scheduled.every((s) => s.cancelled)).toBe(true);
  });
});

describe("history and catch-up", () => {
  it("reads history over HTTP without a connection and over the socket with one", async () => {
    const server = new FakeServer();
    server.store(general, "one");
    server.store(random, "two");
    const tab = openTab(server);
    await tab.engine.actions.openConversation(general);
    expect(tab.socket.historyRequests).toEqual([]);
    tab.socket.accept();
    await tab.engine.actions.openConversation(random);
    expect(tab.socket.historyRequests).toEqual([{ conversationId: random }]);
    const { messages } = tab.engine.store.getState();
    expect(messages[general]?.messages.map((m) => m.text)).toEqual(["one"]);
    expect(messages[random]?.messages.map((m) => m.text)).toEqual(["two"]);
  });

  it("after a reconnect fetches only the conversations held whose lastSeq is past the newest held", async () => {
    const server = new FakeServer();
    server.store(general, "one");
    server.store(random, "two");
    const tab = openTab(server);
    tab.socket.accept();
    await tab.engine.actions.openConversation(general);
    await tab.engine.actions.openConversation(random);
    tab.socket.drop("transport close");
    server.store(general, "missed one");
    server.store(general, "missed two");
    tab.socket.historyRequests.length = 0;

    tab.runScheduled();
    tab.socket.accept();
    await settle();
    expect(tab.socket.historyRequests).toEqual([{ conversationId: general, after: 1 }]);
    expect(tab.engine.store.getState().messages[general]?.messages.map((m) => m.text)).toEqual([
      "one",
      "missed one",
      "missed two",
    ]);
  });

  it("fetches the hole when a live message skips past the newest held", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.socket.accept();
    await tab.engine.actions.openConversation(general);
    server.store(general, "lost on the way");
    server.broadcast([server.store(general, "heard")]);
    await settle();
    expect(tab.socket.historyRequests.at(-1)).toEqual({ conversationId: general, after: 0 });
    expect(tab.engine.store.getState().messages[general]?.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("fetches what was stored after the first page when a live message came while it was read", async () => {
    const server = new FakeServer();
    server.store(general, "old");
    const tab = openTab(server);
    tab.socket.accept();
    const opening = tab.engine.actions.openConversation(general);
    // Stored after the page was read and heard before it arrived: the page alone misses it.
    server.broadcast([server.store(general, "while loading")]);
    await opening;
    expect(tab.engine.store.getState().messages[general]?.messages.map((m) => m.text)).toEqual([
      "old",
      "while loading",
    ]);
  });

  it("catches up from the change feed after a reconnect, and ends where a fresh load does", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    tab.socket.drop("transport close");

    // While away: left #random, added to #design, #general renamed and its topic set.
    server.conversations = server.conversations.filter((c) => c.id !== random);
    server.record(me.id, `membership:${random}`, { kind: "membership", conversationId: random, conversation: null });
    const design = channel(designId, "design", { isPrivate: true, changeSeq: server.streamSeq(designId) });
    server.conversations.push(design);
    server.record(me.id, `membership:${designId}`, {
      kind: "membership",
      conversationId: designId,
      conversation: design,
    });
    const renamed = { ...channel(general, "everyone"), topic: "Hello" };
    server.conversations = server.conversations.map((c) => (c.id === general ? { ...c, ...renamed } : c));
    server.record(general, "conversation", { kind: "conversation", conversation: renamed });
    server.record(general, "conversation", { kind: "conversation", conversation: renamed });
    server.apiCalls.length = 0;

    tab.runScheduled();
    tab.socket.accept();
    await settle();
    expect(tab.engine.store.getState().conversations).toEqual(server.sidebar().conversations);
    expect(server.apiCalls).toEqual([]);
    // One request for the person's stream, one for #general's, which answers its newest change only.
    expect(server.changeRequests.slice(-2)).toEqual([[{ id: me.id, after: 0 }], [{ id: general, after: 0 }]]);
  });

  it("applies live changes that are next in their stream, and fills a gap from the feed", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    const topic = (text: string) => ({
      kind: "conversation" as const,
      conversation: { ...channel(random, "random"), topic: text },
    });
    server.record(random, "conversation", topic("first"));
    await settle();
    expect(tab.engine.store.getState().conversations.find((c) => c.id === random)).toMatchObject({
      topic: "first",
      changeSeq: 1,
    });
    expect(server.changeRequests).toEqual([]);

    server.record(random, "conversation", topic("missed"), false);
    server.record(
      random,
      "member:x",
      { kind: "member", conversationId: random, userId: other.id, member: null },
      false,
    );
    server.record(random, "conversation", topic("third"));
    await settle();
    expect(server.changeRequests).toEqual([[{ id: random, after: 1 }]]);
    expect(tab.engine.store.getState().conversations.find((c) => c.id === random)).toMatchObject({
      topic: "third",
      changeSeq: 4,
    });
  });

  it("reads a sidebar it has never loaded when the server names a conversation it does not hold", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    await settle();
    server.conversations.push(channel(designId, "design"));
    tab.socket.accept();
    await settle();
    expect(tab.engine.store.getState().conversations.map((c) => c.name)).toContain("design");
    // The first read went over HTTP, before the socket connected; the second over the socket.
    expect(server.apiCalls.filter((call) => call === "GET /api/conversations")).toHaveLength(1);
    expect(server.socketSidebarLoads).toBe(1);
  });

  it("after a reconnect counts the messages that came while away, also where no history was loaded", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    tab.socket.drop("transport close");
    for (const text of ["one", "two", "three"]) server.store(random, text);

    tab.runScheduled();
    tab.socket.accept();
    await settle();
    const held = tab.engine.store.getState().conversations.find((c) => c.id === random);
    expect(held?.lastSeq).toBe(3);
    expect(held?.lastMessageAt).not.toBeNull();
    expect(tab.engine.store.getState().messages[random]).toBeUndefined();
  });

  it("moves the read position past its own message once the server stored it", async () => {
    const server = new FakeServer();
    server.store(general, "unread, from Ben");
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    tab.engine.actions.send(general, "mine");
    await settle();
    expect(tab.engine.store.getState().conversations.find((c) => c.id === general)?.lastReadSeq).toBe(2);
    expect(tab.socket.reads).toEqual([{ conversationId: general, seq: 2 }]);
  });

  it("shows a read position at once and sends it, throttled, once connected", async () => {
    const server = new FakeServer();
    server.store(general, "one");
    server.store(general, "two");
    const tab = openTab(server);
    await settle();
    tab.engine.actions.markRead(general, 1);
    expect(tab.engine.store.getState().conversations.find((c) => c.id === general)?.lastReadSeq).toBe(1);
    tab.socket.accept();
    await settle();
    expect(tab.socket.reads).toEqual([{ conversationId: general, seq: 1 }]);
    tab.engine.actions.markRead(general, 2);
    await settle();
    expect(tab.socket.reads).toHaveLength(1);
    tab.runScheduled();
    await settle();
    expect(tab.socket.reads).toEqual([
      { conversationId: general, seq: 1 },
      { conversationId: general, seq: 2 },
    ]);
  });
});

describe("outbox", () => {
  it("shows a message as pending at once and sends the outbox in writing order once connected", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    const tab = openTab(server, browser);
    await tab.engine.actions.openConversation(general);
    for (const text of ["first", "second", "third"]) tab.engine.actions.send(general, text);
    tab.engine.actions.send(random, "elsewhere");
    await settle();
    expect(tab.pendingTexts()).toEqual(["first:pending", "second:pending", "third:pending", "elsewhere:pending"]);
    expect(server.sends).toEqual([]);

    tab.socket.accept();
    await settle();
    expect(server.messages.map((m) => m.text)).toEqual(["first", "second", "third", "elsewhere"]);
    expect(tab.pendingTexts()).toEqual([]);
    expect(tab.engine.store.getState().messages[general]?.messages.map((m) => m.text)).toEqual([
      "first",
      "second",
      "third",
    ]);
    expect(browser.storage.length).toBe(0);
  });

  it("keeps a refused message as failed until Retry or Discard, and sends the ones after it", async () => {
    const server = new FakeServer();
    server.refuseText = "refused";
    const browser = new FakeBrowser();
    const tab = openTab(server, browser);
    tab.socket.accept();
    tab.engine.actions.send(general, "refused");
    tab.engine.actions.send(general, "fine");
    await settle();
    expect(tab.pendingTexts()).toEqual(["refused:failed"]);
    expect(server.messages.map((m) => m.text)).toEqual(["fine"]);

    const failed = tab.engine.store.getState().outbox[0]!;
    expect(failed.error).toBe("You cannot post here");
    server.refuseText = null;
    tab.engine.actions.retry(failed.clientMessageId);
    await settle();
    expect(server.messages.map((m) => m.text)).toEqual(["fine", "refused"]);
    expect(tab.pendingTexts()).toEqual([]);

    server.refuseText = "again";
    tab.engine.actions.send(general, "again");
    await settle();
    tab.engine.actions.discard(tab.engine.store.getState().outbox[0]!.clientMessageId);
    expect(tab.pendingTexts()).toEqual([]);
    expect(browser.storage.length).toBe(0);
  });

  it("keeps a message whose ack did not come pending, and sends it again on the next connect, stored once", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    const tab = openTab(server, browser);
    tab.socket.accept();
    const socket = tab.socket;
    const request = socket.request.bind(socket);
    let lostAcks = 1;
    socket.request = (async (event, input) => {
      const reply = await request(event, input);
      if (event === "message:send" && lostAcks-- > 0) throw new Error("operation has timed out");
      return reply;
    }) as typeof socket.request;
    tab.engine.actions.send(general, "ack lost");
    await settle();
    expect(tab.pendingTexts()).toEqual(["ack lost:pending"]);

    socket.drop("transport close");
    tab.runScheduled();
    socket.accept();
    await settle();
    expect(server.sends).toHaveLength(2);
    expect(server.messages.map((m) => m.text)).toEqual(["ack lost"]);
    expect(tab.pendingTexts()).toEqual([]);
  });

  it("sends a reply again with the same clientMessageId after its answer was lost, so it is stored once", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    const socket = tab.socket;
    const request = socket.request.bind(socket);
    let lostAcks = 1;
    socket.request = (async (event, input) => {
      const reply = await request(event, input);
      // Stored as the server would, in the thread; the answer is lost on the way back the first time.
      if (event === "thread:reply" && lostAcks-- > 0) throw new Error("operation has timed out");
      return reply;
    }) as typeof socket.request;

    tab.engine.actions.reply(general, 1, "on it");
    await settle();
    expect(tab.pendingTexts()).toEqual(["on it:pending"]);
    socket.drop("transport close");
    tab.runScheduled();
    socket.accept();
    await settle();
    expect(server.replies).toHaveLength(2);
    expect(new Set(server.replies.map((r) => r.clientMessageId)).size).toBe(1);
    const thread = server.threadOf(general, 1);
    expect(server.messages.filter((m) => m.conversationId === thread).map((m) => m.text)).toEqual(["on it"]);
    expect(tab.pendingTexts()).toEqual([]);
    // The same words again, once the first was stored, are a reply of their own.
    tab.engine.actions.reply(general, 1, "on it");
    await settle();
    expect(new Set(server.replies.map((r) => r.clientMessageId)).size).toBe(2);
  });

  it("shows a reply written offline as pending in its thread, keeps it across a reload, and sends it once", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    let tab = openTab(server, browser);
    tab.engine.actions.reply(general, 1, "on it", true);
    await settle();
    expect(tab.engine.store.getState().outbox).toMatchObject([
      { conversationId: general, text: "on it", status: "pending", thread: { rootSeq: 1, alsoToChannel: true } },
    ]);

    tab.engine.stop();
    tab = openTab(server, browser);
    const [item] = tab.engine.store.getState().outbox;
    expect(item).toMatchObject({ conversationId: general, text: "on it", thread: { rootSeq: 1, alsoToChannel: true } });
    tab.socket.accept();
    await settle();
    expect(server.replies).toEqual([
      { conversationId: general, rootSeq: 1, clientMessageId: item!.clientMessageId, alsoToChannel: true },
    ]);
    expect(server.sends).toEqual([]);
    const thread = server.threadOf(general, 1);
    expect(tab.engine.store.getState().messages[thread]?.messages.map((m) => m.text)).toEqual(["on it"]);
    expect(tab.pendingTexts()).toEqual([]);
    expect(browser.storage.length).toBe(0);
  });

  it("keeps a refused reply as failed until Retry or Discard", async () => {
    const server = new FakeServer();
    server.refuseText = "refused";
    const browser = new FakeBrowser();
    const tab = openTab(server, browser);
    tab.socket.accept();
    tab.engine.actions.reply(general, 1, "refused");
    await settle();
    expect(tab.pendingTexts()).toEqual(["refused:failed"]);
    const failed = tab.engine.store.getState().outbox[0]!;
    expect(failed.error).toBe("You cannot post here");

    server.refuseText = null;
    tab.engine.actions.retry(failed.clientMessageId);
    await settle();
    expect(server.replies.map((r) => r.clientMessageId)).toEqual([failed.clientMessageId, failed.clientMessageId]);
    const thread = server.threadOf(general, 1);
    expect(server.messages.filter((m) => m.conversationId === thread).map((m) => m.text)).toEqual(["refused"]);
    expect(tab.pendingTexts()).toEqual([]);

    server.refuseText = "again";
    tab.engine.actions.reply(general, 1, "again");
    await settle();
    tab.engine.actions.discard(tab.engine.store.getState().outbox[0]!.clientMessageId);
    expect(tab.pendingTexts()).toEqual([]);
    expect(browser.storage.length).toBe(0);
  });

  it("moves the one-key outbox of an earlier version to keys of its own and sends it", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    const item = {
      clientMessageId: crypto.randomUUID(),
      conversationId: general,
      text: "from before",
      createdAt: "2026-11-24T10:00:00.000Z",
      status: "pending",
    };
    browser.storage.setItem(`parley.outbox.${me.id}`, JSON.stringify([item]));
    const tab = openTab(server, browser);
    expect(tab.pendingTexts()).toEqual(["from before:pending"]);
    expect(browser.storage.getItem(`parley.outbox.${me.id}`)).toBeNull();
    tab.socket.accept();
    await settle();
    expect(server.messages.map((m) => m.clientMessageId)).toEqual([item.clientMessageId]);
  });

  it("takes in what a tab of the previous version writes to the one-key outbox", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    const tab = openTab(server, browser);
    const oldTab = browser.tabStorage({});
    const item = {
      clientMessageId: crypto.randomUUID(),
      conversationId: general,
      text: "from an old tab",
      createdAt: "2026-11-24T10:00:00.000Z",
      status: "pending",
    };
    oldTab.setItem(`parley.outbox.${me.id}`, JSON.stringify([item]));
    await settle();
    expect(tab.pendingTexts()).toEqual(["from an old tab:pending"]);
    expect(browser.storage.getItem(`parley.outbox.${me.id}`)).toBeNull();
  });

  it("drops a pending message that another device's messages:new shows stored", async () => {
    const server = new FakeServer();
    const tab = openTab(server);
    tab.engine.actions.send(general, "sent elsewhere");
    const { clientMessageId } = tab.engine.store.getState().outbox[0]!;
    tab.socket.accept();
    // Stored and announced before this tab's own send is answered, as when another tab sent it first.
    tab.socket.emit("messages:new", [server.store(general, "sent elsewhere", me, clientMessageId)]);
    expect(tab.pendingTexts()).toEqual([]);
    await settle();
    expect(server.messages).toHaveLength(1);
  });
});

describe("outbox across tabs", () => {
  it("shows a message queued in one tab as pending in the others, and drops it everywhere once stored", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    const a = openTab(server, browser);
    const b = openTab(server, browser);
    a.engine.actions.send(general, "from a");
    await settle();
    expect(b.pendingTexts()).toEqual(["from a:pending"]);

    b.socket.accept();
    await settle();
    expect(server.messages.map((m) => m.text)).toEqual(["from a"]);
    expect(a.pendingTexts()).toEqual([]);
    expect(b.pendingTexts()).toEqual([]);
  });

  it("loses and doubles nothing when tabs write offline and are reloaded in any order", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    let a = openTab(server, browser);
    let b = openTab(server, browser);
    a.engine.actions.send(general, "a1");
    b.engine.actions.send(general, "b1");
    a.engine.actions.send(random, "a2");
    await settle();
    b.engine.stop();
    b = openTab(server, browser);
    b.engine.actions.send(general, "b2");
    a.engine.actions.send(general, "a3");
    a.engine.stop();
    a = openTab(server, browser);
    b.engine.stop();
    b = openTab(server, browser);
    await settle();
    const written = ["a1", "b1", "a2", "b2", "a3"];
    expect(a.pendingTexts()).toEqual(written.map((t) => `${t}:pending`));
    expect(b.pendingTexts()).toEqual(a.pendingTexts());

    b.socket.accept();
    a.socket.accept();
    await settle();
    expect(server.messages.map((m) => m.text)).toEqual(written);
    expect(server.sends).toHaveLength(written.length);
    expect(server.maxSendsInFlight).toBe(1);
    expect(a.pendingTexts()).toEqual([]);
    expect(b.pendingTexts()).toEqual([]);
    expect(browser.storage.length).toBe(0);
  });

  it("sends each message once when both tabs are connected and write at the same time", async () => {
    const server = new FakeServer();
    const browser = new FakeBrowser();
    const a = openTab(server, browser);
    const b = openTab(server, browser);
    a.socket.accept();
    b.socket.accept();
    await settle();
    for (let i = 0; i < 5; i++) {
      a.engine.actions.send(general, `a${i}`);
      b.engine.actions.send(general, `b${i}`);
    }
    await settle();
    expect(server.messages.map((m) => m.text).sort()).toEqual(
      ["a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4"].sort(),
    );
    expect(server.sends).toHaveLength(10);
    expect(server.maxSendsInFlight).toBe(1);
    expect(a.pendingTexts()).toEqual([]);
    expect(b.pendingTexts()).toEqual([]);
  });

  it("lets a tab retry or discard a message another tab failed to send", async () => {
    const server = new FakeServer();
    server.refuseText = "refused";
    const browser = new FakeBrowser();
    const a = openTab(server, browser);
    const b = openTab(server, browser);
    a.socket.accept();
    a.engine.actions.send(general, "refused");
    await settle();
    expect(b.pendingTexts()).toEqual(["refused:failed"]);
    server.refuseText = null;
    b.engine.actions.retry(b.engine.store.getState().outbox[0]!.clientMessageId);
    await settle();
    expect(server.messages.map((m) => m.text)).toEqual(["refused"]);
    expect(a.pendingTexts()).toEqual([]);
    expect(b.pendingTexts()).toEqual([]);
  });
});

describe("an open thread not followed", () => {
  it("takes live edits, deletions and reactions of its replies", async () => {
    const server = new FakeServer();
    const thread = server.threadOf(general, 1);
    const first = server.store(thread, "first reply");
    const second = server.store(thread, "second reply");
    // Changed before this client opened the thread: its feed position is not known here.
    server.record(thread, `message:${second.seq}`, { kind: "message", message: { ...second, text: "second, fixed" } });
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    await tab.engine.actions.openConversation(thread);

    const edited = { ...first, text: "first, edited", editedAt: new Date().toISOString() };
    server.record(thread, `message:${first.seq}`, { kind: "message", message: edited });
    server.record(thread, `reactions:${first.seq}`, {
      kind: "reactions",
      conversationId: thread,
      seq: first.seq,
      reactions: [{ emoji: "👍", userIds: [other.id] }],
    });
    const deleted = { ...second, text: "", deletedAt: new Date().toISOString() };
    server.record(thread, `message:${second.seq}`, { kind: "message", message: deleted });
    await settle();
    expect(tab.engine.store.getState().messages[thread]?.messages).toEqual([
      { ...edited, reactions: [{ emoji: "👍", userIds: [other.id] }] },
      deleted,
    ]);
  });

  it("lets go of a thread whose conversation was left while away, and catches up everything else", async () => {
    const server = new FakeServer();
    const thread = server.threadOf(general, 1);
    server.store(general, "root");
    server.store(thread, "a reply");
    const kept = server.store(random, "kept");
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    await tab.engine.actions.openConversation(random);
    await tab.engine.actions.openConversation(thread);
    expect(tab.engine.store.getState().messages[thread]?.messages.map((m) => m.text)).toEqual(["a reply"]);

    tab.socket.drop("transport close");
    // On another device, the person leaves #general; #random moves on meanwhile.
    server.conversations = server.conversations.filter((c) => c.id !== general);
    server.unreadable.add(general).add(thread);
    server.record(
      me.id,
      `membership:${general}`,
      { kind: "membership", conversationId: general, conversation: null },
      false,
    );
    const edited = { ...kept, text: "kept, edited", editedAt: new Date().toISOString() };
    server.messages[server.messages.indexOf(kept)] = edited;
    server.record(random, `message:${kept.seq}`, { kind: "message", message: edited }, false);
    server.store(random, "missed");
    tab.runScheduled();
    tab.socket.accept();
    await settle();

    const state = tab.engine.store.getState();
    expect(state.messages[thread]).toBeUndefined();
    expect(state.conversations.map((c) => c.id)).toEqual([random]);
    expect(state.messages[random]?.messages.map((m) => m.text)).toEqual(["kept, edited", "missed"]);
  });

  it("catches up the replies and changes it missed while disconnected, equal to a fresh load", async () => {
    const server = new FakeServer();
    const thread = server.threadOf(general, 1);
    const first = server.store(thread, "first reply");
    const tab = openTab(server);
    tab.socket.accept();
    await settle();
    await tab.engine.actions.openConversation(thread);

    tab.socket.drop("transport close");
    server.store(thread, "missed reply");
    const edited = { ...first, text: "edited while away", editedAt: new Date().toISOString() };
    server.messages[0] = edited;
    server.record(thread, `message:${first.seq}`, { kind: "message", message: edited }, false);
    tab.runScheduled();
    tab.socket.accept();
    await settle();

    const fresh = openTab(server);
    fresh.socket.accept();
    await settle();
    await fresh.engine.actions.openConversation(thread);
    const held = tab.engine.store.getState().messages[thread]?.messages;
    expect(held?.map((m) => m.text)).toEqual(["edited while away", "missed reply"]);
    expect(held).toEqual(fresh.engine.store.getState().messages[thread]?.messages);
  });
});
