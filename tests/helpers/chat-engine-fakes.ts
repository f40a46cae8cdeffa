import { mentionsReader } from "@/lib/markdown/mentions";
import type {
  Change,
  ChangeData,
  ChangePage,
  ClientToServerEvents,
  Conversation,
  Message,
  MessagePage,
  Sync,
  User,
} from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { ChatEngine, type Api } from "@/lib/client/engine/chat-engine";
import type { Locks } from "@/lib/client/engine/locks";
import type { ChatSocket, Reply, SocketEvents } from "@/lib/client/engine/socket";
import { MemoryStorage } from "./memory-storage";

export const me: User = {
  id: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d",
  name: "Ana",
  email: "ana@x.test",
  role: "member",
};
export const other: User = {
  id: "1c6c7d2f-2e3a-4b4c-9d5e-6f7a8b9c0d1e",
  name: "Ben",
  email: "ben@x.test",
  role: "member",
};
export const general = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";
export const random = "8a2d2b63-9b54-4d69-8b2a-1e6c8d2f3b21";

/** Lets every pending timer-free task (acks, storage events, promise chains) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A Parley server in memory: stores messages as the real one does (numbered per conversation, one per
 * sender and clientMessageId), answers history pages, and sends messages:new to every connected socket
 * but the sender's.
 */
export function channel(id: string, name: string, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: "channel",
    name,
    topic: "",
    description: "",
    isPrivate: false,
    archived: false,
    isDefault: name === "general",
    createdBy: null,
    memberCount: 2,
    mentionsRestricted: false,
    members: [],
    lastSeq: 0,
    lastReadSeq: 0,
    mentionSeqs: [],
    changeSeq: 0,
    lastMessageAt: null,
    ...over,
  };
}

export class FakeServer {
  /** The conversations `me` is in, as the server has them for `me` (lastSeq is counted from messages). */
  conversations: Conversation[] = [channel(general, "general"), channel(random, "random")];
  readonly messages: Message[] = [];
  /** Every change recorded, by stream id, in order; the feed answers the newest of each thing, as the server does. */
  readonly streams = new Map<string, { change: Change; key: string }[]>();
  /** Every API call, as "METHOD path". */
  readonly apiCalls: string[] = [];
  /** How often the sidebar was read over the socket (`conversations:list`). */
  socketSidebarLoads = 0;
  /** Every changes:list request, as asked. */
  readonly changeRequests: { id: string; after: number }[][] = [];
  /** Every message:send received, by clientMessageId, in arrival order. */
  readonly sends: string[] = [];
  /** The most message:send requests that were ever being answered at once. */
  maxSendsInFlight = 0;
  readonly sockets = new Set<FakeSocket>();
  /** The thread of each message replied to, by `${parentId}:${rootSeq}`: made by its first reply. */
  readonly threads = new Map<string, string>();
  /** Every thread:reply received, in arrival order. */
  readonly replies: { conversationId: string; rootSeq: number; clientMessageId: string; alsoToChannel?: boolean }[] =
    [];
  /** Refuses sends and replies whose text is this. */
  refuseText: string | null = null;
  /** Conversations and threads `me` may no longer read: a changes:list or history request naming one is refused. */
  readonly unreadable = new Set<string>();
  sessionOver = false;
  private sendsInFlight = 0;

  socketFor(user: User): FakeSocket {
    const socket = new FakeSocket(this, user);
    this.sockets.add(socket);
    return socket;
  }

  /** A message stored by someone else, as by another device over HTTP; live to every connected socket. */
  store(conversationId: string, text: string, sender: User = other, clientMessageId = crypto.randomUUID()): Message {
    const existing = this.messages.find((m) => m.sender.id === sender.id && m.clientMessageId === clientMessageId);
    if (existing) return existing;
    const seq = this.messages.filter((m) => m.conversationId === conversationId).length + 1;
    const message: Message = {
      id: crypto.randomUUID(),
      conversationId,
      seq,
      sender: { id: sender.id, name: sender.name },
      clientMessageId,
      text,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      reactions: [],
      linkPreview: null,
      thread: null,
      alsoSentFrom: null,
    };
    this.messages.push(message);
    return message;
  }

  broadcast(messages: Message[], except?: FakeSocket): void {
    for (const socket of this.sockets) if (socket !== except && socket.connected) socket.emit("messages:new", messages);
  }

  history(conversationId: string, page: { before?: number; after?: number; limit?: number }): MessagePage {
    const limit = page.limit ?? 50;
    let messages = this.messages.filter((m) => m.conversationId === conversationId);
    if (page.after !== undefined) {
      messages = messages.filter((m) => m.seq > page.after!);
      return { messages: messages.slice(0, limit), hasMore: messages.length > limit };
    }
    if (page.before !== undefined) messages = messages.filter((m) => m.seq < page.before!);
    return { messages: messages.slice(-limit), hasMore: messages.length > limit };
  }

  lastSeq(conversationId: string): number {
    return this.messages.filter((m) => m.conversationId === conversationId).length;
  }

  streamSeq(id: string): number {
    return this.streams.get(id)?.at(-1)?.change.seq ?? 0;
  }

  /** What conversations:sync says after a connect. */
  sync(): Sync {
    return {
      changeSeq: this.streamSeq(me.id),
      conversations: this.conversations.map(({ id }) => ({
        id,
        lastSeq: this.lastSeq(id),
        changeSeq: this.streamSeq(id),
        mentionSeqs: this.messages
          .filter((m) => m.conversationId === id && mentionsReader(m.text, m.sender.id, me.id))
          .map((m) => m.seq)
          .filter((seq) => seq > (this.conversations.find((c) => c.id === id)?.lastReadSeq ?? 0)),
      })),
      threads: [],
    };
  }

  /** The sidebar as GET /api/conversations answers it. */
  sidebar(): { conversations: Conversation[]; changeSeq: number } {
    return {
      changeSeq: this.streamSeq(me.id),
      conversations: this.conversations.map((c) => ({
        ...c,
        lastSeq: this.lastSeq(c.id),
        changeSeq: this.streamSeq(c.id),
      })),
    };
  }

  /**
   * Records a change in a stream (`me.id`: the user's) and sends it live to the connected sockets,
   * unless `live` is false (a change the socket misses). The caller updates `conversations` to match.
   */
  record(streamId: string, key: string, data: ChangeData, live = true): Change {
    const stream = this.streams.get(streamId) ?? [];
    const change: Change = {
      scope: streamId === me.id ? "user" : "conversation",
      streamId,
      seq: (stream.at(-1)?.change.seq ?? 0) + 1,
      atSeq: 0,
      data,
    };
    this.streams.set(streamId, [...stream, { change, key }]);
    if (live) for (const socket of this.sockets) if (socket.connected) socket.emit("changes", [change]);
    return change;
  }

  changesAfter(streams: { id: string; after: number }[]): ChangePage {
    this.changeRequests.push(streams);
    return {
      streams: streams.map(({ id, after }) => {
        const all = this.streams.get(id) ?? [];
        const newest = all.filter((entry, i) => !all.slice(i + 1).some((later) => later.key === entry.key));
        return { id, changes: newest.filter((e) => e.change.seq > after).map((e) => e.change), hasMore: false };
      }),
    };
  }

  async send(socket: FakeSocket, input: { conversationId: string; clientMessageId: string; text: string }) {
    this.sends.push(input.clientMessageId);
    this.sendsInFlight++;
    this.maxSendsInFlight = Math.max(this.maxSendsInFlight, this.sendsInFlight);
    await settleOnce();
    this.sendsInFlight--;
    if (input.text === this.refuseText) {
      return { ok: false as const, error: { code: "forbidden" as const, message: "You cannot post here" } };
    }
    const isNew = !this.messages.some(
      (m) => m.sender.id === socket.user.id && m.clientMessageId === input.clientMessageId,
    );
    const message = this.store(input.conversationId, input.text, socket.user, input.clientMessageId);
    if (isNew) this.broadcast([message], socket);
    return { ok: true as const, data: message };
  }

  /** A thread's id, made on first use as a first reply or follow makes it. */
  threadOf(parentId: string, rootSeq: number): string {
    const key = `${parentId}:${rootSeq}`;
    const id = this.threads.get(key) ?? crypto.randomUUID();
    this.threads.set(key, id);
    return id;
  }

  /** thread:reply: stored in the root's thread (idempotent on clientMessageId) and live to the other sockets. */
  async reply(
    socket: FakeSocket,
    input: { conversationId: string; rootSeq: number; clientMessageId: string; text: string; alsoToChannel?: boolean },
  ) {
    this.replies.push({
      conversationId: input.conversationId,
      rootSeq: input.rootSeq,
      clientMessageId: input.clientMessageId,
      alsoToChannel: input.alsoToChannel,
    });
    await settleOnce();
    if (input.text === this.refuseText) {
      return { ok: false as const, error: { code: "forbidden" as const, message: "You cannot post here" } };
    }
    const thread = this.threadOf(input.conversationId, input.rootSeq);
    const isNew = !this.messages.some(
      (m) => m.sender.id === socket.user.id && m.clientMessageId === input.clientMessageId,
    );
    const message = this.store(thread, input.text, socket.user, input.clientMessageId);
    if (isNew) this.broadcast([message], socket);
    return { ok: true as const, data: message };
  }

  api(user: User): Api {
    return async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
      this.apiCalls.push(`${init.method ?? (init.body ? "POST" : "GET")} ${path}`);
      await settleOnce();
      if (path === "/api/me") {
        if (this.sessionOver) throw new ApiError("unauthorized", "Sign in to continue");
        return { user } as T;
      }
      if (path === "/api/conversations") return this.sidebar() as T;
      const history = /^\/api\/conversations\/([^/]+)\/messages\?(.*)$/.exec(path);
      if (history) {
        const query = Object.fromEntries(new URLSearchParams(history[2]).entries());
        const page = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Number(v)]));
        return this.history(history[1]!, page) as T;
      }
      throw new Error(`No fake for ${init.method ?? "GET"} ${path}`);
    };
  }
}

async function settleOnce(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

type Listeners = { [E in keyof SocketEvents]?: SocketEvents[E][] };

const notFound = { ok: false, error: { code: "not_found", message: "This conversation does not exist" } } as const;

/** A socket to a FakeServer. connect() only asks: the test decides with accept() or refuse(). */
export class FakeSocket implements ChatSocket {
  connected = false;
  connectCalls = 0;
  /** Every history request over this socket. */
  readonly historyRequests: { conversationId: string; after?: number; before?: number }[] = [];
  private listeners: Listeners = {};

  constructor(
    private readonly server: FakeServer,
    readonly user: User,
  ) {}

  connect(): void {
    this.connectCalls++;
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.emit("disconnect", "io client disconnect");
  }

  on<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): void {
    (this.listeners[event] ??= [] as never[]).push(listener as never);
  }

  emit<E extends keyof SocketEvents>(event: E, ...args: Parameters<SocketEvents[E]>): void {
    for (const listener of this.listeners[event] ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  /** The handshake succeeds: connected, then conversations:sync as the server sends it. */
  accept(): void {
    this.connected = true;
    this.emit("connect");
    this.emit("conversations:sync", this.server.sync());
  }

  /** The handshake is refused, with the error's data as the server's middleware gives it. */
  refuse(data: unknown): void {
    this.emit("connect_error", Object.assign(new Error("refused"), { data }));
  }

  /** The connection drops for `reason` (Socket.IO's: "transport close", "io server disconnect"). */
  drop(reason: string): void {
    this.connected = false;
    this.emit("disconnect", reason);
  }

  /** Every conversation:read received. */
  readonly reads: { conversationId: string; seq: number }[] = [];

  async request<E extends keyof ClientToServerEvents>(
    event: E,
    input: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Reply<E>> {
    if (!this.connected) throw new Error("disconnected");
    if (event === "conversations:list") {
      this.server.socketSidebarLoads++;
      await settleOnce();
      return { ok: true, data: new TextEncoder().encode(JSON.stringify(this.server.sidebar())) } as Reply<E>;
    }
    if (event === "changes:list") {
      const { streams } = input as { streams: { id: string; after: number }[] };
      await settleOnce();
      if (streams.some(({ id }) => this.server.unreadable.has(id))) return notFound as Reply<E>;
      const page = this.server.changesAfter(streams);
      return { ok: true, data: new TextEncoder().encode(JSON.stringify(page)) } as Reply<E>;
    }
    if (event === "conversation:read") {
      const read = input as { conversationId: string; seq: number };
      this.reads.push(read);
      await settleOnce();
      return { ok: true, data: { lastReadSeq: read.seq } } as Reply<E>;
    }
    if (event === "threads:list") {
      // Nobody follows a thread here: the chat's tests of threads are its own.
      await settleOnce();
      return { ok: true, data: { threads: [] } } as Reply<E>;
    }
    if (event === "messages:history") {
      const page = input as { conversationId: string; before?: number; after?: number; limit?: number };
      this.historyRequests.push({ conversationId: page.conversationId, after: page.after, before: page.before });
      if (this.server.unreadable.has(page.conversationId)) return notFound as Reply<E>;
      // Read at once and answered a moment later, so that a message can be stored while the answer travels.
      const data = this.server.history(page.conversationId, page);
      await settleOnce();
      return { ok: true, data } as Reply<E>;
    }
    if (event === "thread:reply") {
      return (await this.server.reply(
        this,
        input as { conversationId: string; rootSeq: number; clientMessageId: string; text: string },
      )) as Reply<E>;
    }
    return (await this.server.send(
      this,
      input as { conversationId: string; clientMessageId: string; text: string },
    )) as Reply<E>;
  }
}

/**
 * The tabs of one browser profile: one localStorage, whose changes each tab hears from the others (never
 * from itself) a moment later, as storage events; and one lock manager, which runs one holder of a name
 * at a time, in the order asked.
 */
export class FakeBrowser {
  readonly storage = new MemoryStorage();
  private readonly watchers = new Set<{ tab: object; listener: (key: string | null) => void }>();
  private readonly lockTails = new Map<string, Promise<void>>();

  readonly locks: Locks = (name, task) => {
    const run = (this.lockTails.get(name) ?? Promise.resolve()).then(task);
    this.lockTails.set(
      name,
      run.then(
        () => {},
        () => {},
      ),
    );
    return run;
  };

  /** A storage for one tab: its writes reach the other tabs' watchers. */
  tabStorage(tab: object): Storage {
    const shared = this.storage;
    const notify = (key: string) => {
      for (const watcher of this.watchers) if (watcher.tab !== tab) setTimeout(() => watcher.listener(key), 0);
    };
    return {
      get length() {
        return shared.length;
      },
      clear: () => shared.clear(),
      key: (index) => shared.key(index),
      getItem: (key) => shared.getItem(key),
      setItem: (key, value) => {
        if (shared.getItem(key) === value) return;
        shared.setItem(key, value);
        notify(key);
      },
      removeItem: (key) => {
        if (shared.getItem(key) === null) return;
        shared.removeItem(key);
        notify(key);
      },
    };
  }

  watch(tab: object, listener: (key: string | null) => void): () => void {
    const watcher = { tab, listener };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

/** One tab of the chat: its engine, the sockets it made, where it navigated, the reconnects it scheduled. */
export class Tab {
  readonly engine: ChatEngine;
  readonly sockets: FakeSocket[] = [];
  readonly navigations: string[] = [];
  readonly scheduled: { ms: number; task: () => void; cancelled: boolean }[] = [];
  private readonly onlineListeners = new Set<() => void>();

  constructor(server: FakeServer, browser: FakeBrowser = new FakeBrowser(), user: User = me) {
    this.engine = new ChatEngine({
      user,
      createSocket: () => {
        const socket = server.socketFor(user);
        this.sockets.push(socket);
        return socket;
      },
      api: server.api(user),
      storage: browser.tabStorage(this),
      watchStorage: (listener) => browser.watch(this, listener),
      locks: browser.locks,
      onOnline: (listener) => {
        this.onlineListeners.add(listener);
        return () => this.onlineListeners.delete(listener);
      },
      navigate: (url) => this.navigations.push(url),
      schedule: (task, ms) => {
        const entry = { ms, task, cancelled: false };
        this.scheduled.push(entry);
        return () => {
          entry.cancelled = true;
        };
      },
      random: () => 0,
    });
  }

  get socket(): FakeSocket {
    return this.sockets.at(-1)!;
  }

  /** Runs the reconnect that is due, as its timer would. */
  runScheduled(): void {
    const due = this.scheduled.filter((s) => !s.cancelled);
    this.scheduled.length = 0;
    for (const entry of due) entry.task();
  }

  goOnline(): void {
    for (const listener of this.onlineListeners) listener();
  }

  pendingTexts(): string[] {
    return this.engine.store.getState().outbox.map((i) => `${i.text}:${i.status}`);
  }
}
