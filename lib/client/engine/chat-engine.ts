import type {
  ChangePage,
  ChannelListing,
  ClientToServerEvents,
  Conversation,
  ConversationInfo,
  DirectoryPerson,
  FollowedThread,
  HistoryRequest,
  MentionPage,
  Message,
  MessagePage,
  Person,
  ServerToClientEvents,
  Sidebar,
  Sync,
  ThreadList,
  User,
} from "@/lib/protocol";
import { parseJsonBytes } from "@/lib/protocol";
import { ApiError, retryWhenLimited } from "@/lib/client/api";
import { newClientMessageId } from "@/lib/client/ids";
import { withMentions, type ChatAction } from "./actions";
import { ChangeFeed } from "./change-feed";
import { keepConnected } from "./connection";
import type { Locks } from "./locks";
import { Outbox, type SendOutcome } from "./outbox";
import { OutboxStorage, type KeyValueStorage, type OutboxItem } from "./outbox-storage";
import { createChatStore, type ChatStore } from "./slices";
import { lastHeldSeq, skipsAhead } from "./slices/messages";
import { ReadMarker } from "./read-marker";
import type { ChatSocket, Reply, SocketEvents } from "./socket";

const ACK_TIMEOUT_MS = 10_000;

/** Messages read on each side of the one a link points to: enough to fill a tall screen either way. */
const AROUND_PAGE_SIZE = 50;

/** Calls a Parley API route and returns its JSON, or throws an ApiError (`api` in lib/client/api.ts). */
export type Api = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

/** Everything the engine touches outside itself, so that tests can hand it fakes. */
export type ChatEngineDeps = {
  user: User;
  /** A new, unconnected socket. */
  createSocket: () => ChatSocket;
  api: Api;
  storage: KeyValueStorage;
  /** Calls `listener` with the key another tab changed in `storage` (null: all); returns what stops it. */
  watchStorage: (listener: (key: string | null) => void) => () => void;
  locks: Locks;
  /** Calls `listener` when the browser is back online; returns what stops it. */
  onOnline: (listener: () => void) => () => void;
  /** Leaves the chat for another page: /signin once the session is over. */
  navigate: (url: string) => void;
  /** Runs `task` after `ms`; returns what cancels it. */
  schedule: (task: () => void, ms: number) => () => void;
  random?: () => number;
  now?: () => Date;
  newId?: () => string;
};

export type ChatActions = {
  /**
   * Loads a conversation's history: its newest page, or (`at`) a window around that message when it is
   * not held; a message that does not exist is `not_found`.
   */
  openConversation: (conversationId: string, at?: number) => Promise<void>;
  loadOlder: (conversationId: string) => Promise<void>;
  /** The next page of a window that does not reach the newest message. */
  loadNewer: (conversationId: string) => Promise<void>;
  /** Replaces a window on older messages with the newest page. */
  jumpToLatest: (conversationId: string) => Promise<void>;
  send: (conversationId: string, text: string) => void;
  retry: (clientMessageId: string) => void;
  discard: (clientMessageId: string) => void;
  /** Moves your read position in a conversation forward, here at once and on the server throttled. */
  markRead: (conversationId: string, seq: number) => void;
  /** The public channels, or (`archived`) the archived channels you are in. */
  listChannels: (options?: { archived?: boolean }) => Promise<ChannelListing[]>;
  createChannel: (name: string, topic: string, isPrivate?: boolean) => Promise<Conversation>;
  /** A conversation as anyone who may see it does: a public channel's preview, or one you are in. */
  getConversation: (conversationId: string) => Promise<{ conversation: ConversationInfo; isMember: boolean }>;
  joinChannel: (conversationId: string) => Promise<Conversation>;
  leaveConversation: (conversationId: string) => Promise<void>;
  /** The direct or group message with these people, found again or started. */
  openDirect: (userIds: string[]) => Promise<Conversation>;
  findPeople: (query: string) => Promise<DirectoryPerson[]>;
  loadMembers: (conversationId: string) => Promise<void>;
  addMembers: (conversationId: string, userIds: string[]) => Promise<void>;
  removeMember: (conversationId: string, userId: string) => Promise<void>;
  updateConversation: (
    conversationId: string,
    changes: { name?: string; topic?: string; description?: string; mentionsRestricted?: boolean },
  ) => Promise<void>;
  /** A page of the messages that mention you, newest first, older than `before` (a page's last cursor). */
  listMentions: (before?: number) => Promise<MentionPage>;
  setArchived: (conversationId: string, archived: boolean) => Promise<void>;
  makePrivate: (conversationId: string) => Promise<void>;
  /** Replaces the text of one of your messages; shown once the server has it. */
  editMessage: (conversationId: string, seq: number, text: string) => Promise<void>;
  /** Deletes a message, leaving its tombstone; shown once the server has done it. */
  deleteMessage: (conversationId: string, seq: number) => Promise<void>;
  /** Takes the link preview off one of your messages; shown once the server has done it. */
  removePreview: (conversationId: string, seq: number) => Promise<void>;
  /** Puts your reaction on a message or takes it back: shown at once, taken back if the server refuses. */
  react: (conversationId: string, seq: number, emoji: string, present: boolean) => Promise<void>;
  /** Reads the threads you follow again (positions as the server has them), answering them with their roots. */
  loadThreads: () => Promise<FollowedThread[]>;
  /**
   * Replies to a message in its thread, through the outbox as a message goes: shown at once as pending in the
   * thread, sent when connected, kept as failed (Retry, Discard) when the server refuses it.
   */
  reply: (conversationId: string, rootSeq: number, text: string, alsoToChannel?: boolean) => void;
  /** Follows the thread of a message by hand, or stops. */
  followThread: (conversationId: string, rootSeq: number, following: boolean) => Promise<void>;
};

type ServerEventListeners = { [E in keyof ServerToClientEvents]: SocketEvents[E] };

/**
 * The browser side of the chat, without React: the socket, the outbox, catch-up, and the state the
 * chat shows, in the slices of `store`. The database is the truth and the socket a fast path: every
 * (re)connect sends what waits in the outbox, then fetches what was missed after the last sequence
 * number held.
 */
export class ChatEngine {
  readonly store: ChatStore = createChatStore();
  readonly user: User;
  /** Stable: components that only act never re-render for the state. */
  readonly actions: ChatActions;
  private socket: ChatSocket | null = null;
  private stopConnection = () => {};
  private stopWatchingStorage = () => {};
  /**
   * The newest sequence number heard of in each conversation whose newest messages are not held (never
   * opened, or a window on older ones): what loading them must reach.
   */
  private readonly heardUnheld = new Map<string, number>();
  private readonly outbox: Outbox;
  private readonly feed: ChangeFeed;
  private readonly readMarker: ReadMarker;

  constructor(private readonly deps: ChatEngineDeps) {
    this.user = deps.user;
    this.feed = new ChangeFeed({
      userId: deps.user.id,
      dispatch: this.dispatch,
      conversation: (id) => this.conversation(id),
      threadSeq: (id) => this.store.getState().threads.followed[id]?.changeSeq,
      openThreads: () => this.openThreads(),
      reloadThreads: async () => void (await this.loadThreads()),
      fetch: async (streams) => parseJsonBytes(await this.request("changes:list", { streams })) as ChangePage,
      loadSidebar: () => this.loadSidebar(),
    });
    this.readMarker = new ReadMarker({
      send: async (conversationId, seq) => {
        const { lastReadSeq } = await this.request("conversation:read", { conversationId, seq });
        this.dispatch({ type: "read-moved", conversationId, lastReadSeq });
        return lastReadSeq;
      },
      schedule: deps.schedule,
      now: () => this.now().getTime(),
    });
    this.outbox = new Outbox({
      storage: new OutboxStorage(deps.storage, deps.user.id),
      locks: deps.locks,
      lockName: `parley.outbox.${deps.user.id}`,
      dispatch: this.dispatch,
      send: (item) => this.sendItem(item),
      now: deps.now ?? (() => new Date()),
    });
    this.actions = {
      openConversation: (id, at) => this.openConversation(id, at),
      loadOlder: (id) => this.loadOlder(id),
      loadNewer: (id) => this.loadNewer(id),
      jumpToLatest: (id) => this.jumpToLatest(id),
      send: (conversationId, text) => this.write(conversationId, conversationId, text),
      retry: (clientMessageId) => {
        this.outbox.retry(clientMessageId);
        void this.outbox.flush();
      },
      discard: (clientMessageId) => this.outbox.discard(clientMessageId),
      editMessage: (conversationId, seq, text) =>
        this.changeMessage(`/api/conversations/${conversationId}/messages/${seq}`, { method: "PATCH", body: { text } }),
      removePreview: async (conversationId, seq) => {
        const message = await this.request("message:remove-preview", { conversationId, seq });
        this.dispatch({ type: "message-changed", message, changeSeq: null });
      },
      react: (conversationId, seq, emoji, present) => this.react(conversationId, seq, emoji, present),
      deleteMessage: (conversationId, seq) =>
        this.changeMessage(`/api/conversations/${conversationId}/messages/${seq}`, { method: "DELETE" }),
      markRead: (conversationId, seq) => {
        // A followed thread has its read position like a conversation; one not followed has none.
        const position = this.conversation(conversationId) ?? this.store.getState().threads.followed[conversationId];
        if (!position || seq <= position.lastReadSeq) return;
        this.dispatch({ type: "read-moved", conversationId, lastReadSeq: Math.min(seq, position.lastSeq) });
        this.readMarker.mark(conversationId, seq);
      },
      listChannels: async ({ archived = false } = {}) =>
        (await deps.api<{ channels: ChannelListing[] }>(`/api/channels?archived=${archived}`)).channels,
      createChannel: async (name, topic, isPrivate = false) => {
        const { conversation } = await deps.api<{ conversation: Conversation }>("/api/channels", {
          body: { name, topic, isPrivate },
        });
        this.dispatch({ type: "conversation-joined", conversation });
        return conversation;
      },
      getConversation: (conversationId) => deps.api(`/api/conversations/${conversationId}`),
      joinChannel: async (conversationId) => {
        const { conversation } = await deps.api<{ conversation: Conversation }>(
          `/api/conversations/${conversationId}/join`,
          { method: "POST" },
        );
        this.dispatch({ type: "conversation-joined", conversation });
        return conversation;
      },
      leaveConversation: async (conversationId) => {
        await deps.api(`/api/conversations/${conversationId}/leave`, { method: "POST" });
        this.dispatch({ type: "conversation-left", conversationId });
      },
      openDirect: async (userIds) => {
        const { conversation } = await deps.api<{ conversation: Conversation }>("/api/conversations/direct", {
          body: { userIds },
        });
        this.dispatch({ type: "conversation-joined", conversation });
        return conversation;
      },
      findPeople: async (query) =>
        (await deps.api<{ people: DirectoryPerson[] }>(`/api/users?${new URLSearchParams({ q: query })}`)).people,
      loadMembers: async (conversationId) => {
        const { members } = await deps.api<{ members: Person[] }>(`/api/conversations/${conversationId}/members`);
        this.dispatch({ type: "members-loaded", conversationId, members });
      },
      addMembers: async (conversationId, userIds) => {
        await deps.api(`/api/conversations/${conversationId}/members`, { body: { userIds } });
      },
      removeMember: async (conversationId, userId) => {
        await deps.api(`/api/conversations/${conversationId}/members/${userId}`, { method: "DELETE" });
      },
      updateConversation: async (conversationId, changes) => {
        await this.changeConversation(`/api/conversations/${conversationId}`, { method: "PATCH", body: changes });
      },
      setArchived: async (conversationId, archived) => {
        await this.changeConversation(`/api/conversations/${conversationId}/archive`, {
          method: archived ? "POST" : "DELETE",
        });
      },
      listMentions: (before) =>
        deps.api<MentionPage>(`/api/mentions${before === undefined ? "" : `?before=${before}`}`),
      makePrivate: async (conversationId) => {
        await this.changeConversation(`/api/conversations/${conversationId}/private`, { method: "POST" });
      },
      loadThreads: () => this.loadThreads(),
      reply: (conversationId, rootSeq, text, alsoToChannel = false) =>
        this.write(this.threadIdOf(conversationId, rootSeq), conversationId, text, { rootSeq, alsoToChannel }),
      followThread: async (conversationId, rootSeq, following) => {
        const { threadId } = await this.request("thread:follow", { conversationId, rootSeq, following });
        if (following) await this.loadThreads();
        else if (threadId) this.dispatch({ type: "thread-unfollowed", threadId });
      },
    };
  }

  /** Loads the outbox and the sidebar, and connects. Again after stop(), as React's strict mode does. */
  start(): void {
    this.outbox.load();
    this.stopWatchingStorage = this.deps.watchStorage((key) => this.outbox.changedElsewhere(key));
    // The sidebar does not wait for the socket.
    void this.feed.start().catch(() => {});
    const socket = this.getSocket();
    const listeners = this.serverEventListeners();
    for (const event of Object.keys(listeners) as (keyof ServerToClientEvents)[]) listen(socket, event, listeners);
    this.stopConnection = keepConnected(socket, {
      checkSession: () => this.deps.api("/api/me"),
      navigate: this.deps.navigate,
      schedule: this.deps.schedule,
      onOnline: this.deps.onOnline,
      random: this.deps.random,
      onChange: (connection) => this.dispatch({ type: "connection-changed", connection }),
      // What changed while away comes with conversations:sync and the change feed.
      onConnected: () => {
        this.readMarker.resend();
        void this.outbox.flush().catch(() => {});
      },
    });
  }

  stop(): void {
    this.readMarker.stop();
    this.stopConnection();
    this.stopWatchingStorage();
    this.socket?.disconnect();
    this.socket = null;
  }

  /**
   * What each server event does. Typed by the protocol's event map, so a new server event does not
   * compile until it has its line here.
   */
  private serverEventListeners(): ServerEventListeners {
    return {
      "messages:new": (messages) => this.receiveMessages(messages),
      changes: (changes) => void this.feed.receive(changes).catch(() => {}),
      "conversations:sync": (sync) => void this.catchUp(sync).catch(() => {}),
    };
  }

  private readonly dispatch = (action: ChatAction) => this.store.dispatch(withMentions(action, this.user.id));

  // Created on first use, unconnected: a component's effect may ask for history before start() runs.
  private getSocket(): ChatSocket {
    this.socket ??= this.deps.createSocket();
    return this.socket;
  }

  /**
   * History and catch-up go over the socket while it is connected: no HTTP round trip, and the
   * session was checked when it connected. Without it, over HTTP, so history shows even when the
   * realtime connection cannot be had.
   */
  private history({ conversationId, ...page }: HistoryRequest): Promise<MessagePage> {
    return retryWhenLimited(async () => {
      const socket = this.getSocket();
      if (!socket.connected) {
        const query = new URLSearchParams(Object.entries(page).map(([k, v]) => [k, String(v)]));
        return this.deps.api<MessagePage>(`/api/conversations/${conversationId}/messages?${query}`);
      }
      const result = await socket.request("messages:history", { conversationId, ...page }, ACK_TIMEOUT_MS);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.retryAfterSeconds);
      return result.data;
    });
  }

  private async fetchAfter(conversationId: string, after: number): Promise<void> {
    for (let from = after, more = true; more;) {
      const page = await this.history({ conversationId, after: from, limit: 200 });
      this.dispatch({ type: "history-loaded", conversationId, messages: page.messages });
      more = page.hasMore;
      from = page.messages[page.messages.length - 1]?.seq ?? from;
    }
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private conversation(id: string): Conversation | undefined {
    return this.store.getState().conversations.find((c) => c.id === id);
  }

  /**
   * Reads the sidebar, over the socket while it is connected (like history); answers the position of
   * the person's change stream it was read at.
   */
  private async loadSidebar(): Promise<number> {
    const { conversations, changeSeq } = this.getSocket().connected
      ? (parseJsonBytes(await this.request("conversations:list", {})) as Sidebar)
      : await this.deps.api<Sidebar>("/api/conversations");
    this.dispatch({ type: "conversations-loaded", conversations });
    return changeSeq;
  }

  /**
   * After a connect: the change feed first (memberships, then each conversation), then the messages
   * missed, only where the server has more than this client holds.
   */
  private async catchUp(sync: Sync): Promise<void> {
    // Messages missed are fetched even when the feed could not be read: a live change later fills its gap.
    await this.feed.sync(sync).catch(() => {});
    // Followed threads as the server counts them: their replies and read positions moved while away.
    void this.loadThreads().catch(() => {});
    const streams = [...sync.conversations, ...sync.threads];
    // Unread counts of conversations whose history was never loaded move with the sync too.
    this.dispatch({ type: "last-seqs-synced", lastSeqs: streams, at: this.now().toISOString() });
    const histories = this.store.getState().messages;
    for (const { id, lastSeq } of streams) {
      const held = lastHeldSeq(histories, id);
      if (held !== null && lastSeq > held) void this.fetchAfter(id, held).catch(() => {});
      else if (histories[id]?.hasNewer) this.heard(id, lastSeq);
    }
    // Threads opened but not followed are not in the sync: whatever came after their newest reply held.
    for (const id of this.openThreads()) {
      const held = lastHeldSeq(histories, id);
      if (held !== null) void this.fetchAfter(id, held).catch(() => {});
    }
  }

  /**
   * The threads whose replies are held (opened in a thread panel) but which are not followed: every history
   * held is a conversation's, a followed thread's, or one of these.
   */
  private openThreads(): string[] {
    const { messages, threads } = this.store.getState();
    return Object.keys(messages).filter((id) => !threads.followed[id] && !this.conversation(id));
  }

  /** Changes a conversation's shared state, shown at once; its change, when it arrives, confirms it. */
  private async changeConversation(path: string, init: { method: string; body?: unknown }): Promise<void> {
    const { conversation: info } = await this.deps.api<{ conversation: ConversationInfo }>(path, init);
    const held = this.conversation(info.id);
    if (held) this.dispatch({ type: "conversation-changed", info, changeSeq: held.changeSeq });
  }

  /** Edits or deletes a message; the answer shows at once, and its change, when it arrives, confirms it. */
  private async changeMessage(path: string, init: { method: string; body?: unknown }): Promise<void> {
    const { message } = await this.deps.api<{ message: Message }>(path, init);
    this.dispatch({ type: "message-changed", message, changeSeq: null });
  }

  private async react(conversationId: string, seq: number, emoji: string, present: boolean): Promise<void> {
    const toggled = { type: "reaction-toggled", conversationId, seq, emoji, userId: this.user.id } as const;
    this.dispatch({ ...toggled, present });
    try {
      await this.request(present ? "reaction:add" : "reaction:remove", { conversationId, seq, emoji });
    } catch (error) {
      this.dispatch({ ...toggled, present: !present });
      throw error;
    }
  }

  /** A socket request that needs the connection; its refusal is thrown as an ApiError. */
  private async request<
    E extends
      | "conversations:list"
      | "changes:list"
      | "conversation:read"
      | "reaction:add"
      | "reaction:remove"
      | "message:remove-preview"
      | "thread:follow"
      | "threads:list",
  >(event: E, input: Parameters<ClientToServerEvents[E]>[0]): Promise<Extract<Reply<E>, { ok: true }>["data"]> {
    const socket = this.getSocket();
    if (!socket.connected) throw new ApiError("network", "Not connected");
    const result = await socket.request(event, input, ACK_TIMEOUT_MS);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.retryAfterSeconds);
    return result.data as Extract<Reply<E>, { ok: true }>["data"];
  }

  /** Over the socket while it is connected, like the sidebar; over HTTP before it is (a page just loaded). */
  private async loadThreads(): Promise<FollowedThread[]> {
    const { threads } = this.getSocket().connected
      ? await this.request("threads:list", {})
      : await this.deps.api<ThreadList>("/api/threads");
    this.dispatch({ type: "threads-loaded", threads });
    return threads;
  }

  /**
   * Puts a message, or a reply (`thread`), in the outbox and sends what waits there. `shownIn`: the history
   * it will show in, when known (a thread's id is not, before its first reply).
   */
  private write(shownIn: string | undefined, conversationId: string, text: string, thread?: OutboxItem["thread"]) {
    // One's own message shows at the bottom, under what came before it, not below a window on old ones.
    if (shownIn && this.store.getState().messages[shownIn]?.hasNewer) void this.jumpToLatest(shownIn).catch(() => {});
    this.outbox.add((this.deps.newId ?? newClientMessageId)(), conversationId, text, thread);
    void this.outbox.flush();
  }

  /** The id of a message's thread, as far as this client knows it: from the message's summary, or a follow. */
  private threadIdOf(parentId: string, rootSeq: number): string | undefined {
    const { messages, threads } = this.store.getState();
    return (
      messages[parentId]?.messages.find((m) => m.seq === rootSeq)?.thread?.threadId ??
      Object.values(threads.followed).find((t) => t.parentId === parentId && t.rootSeq === rootSeq)?.id
    );
  }

  private receiveMessages(messages: Message[]): void {
    const [first] = messages;
    if (!first) return;
    const { conversationId } = first;
    const last = lastHeldSeq(this.store.getState().messages, conversationId);
    if (last === null) this.heard(conversationId, messages.at(-1)?.seq ?? 0);
    this.dispatch({ type: "messages-received", conversationId, messages });
    // Sent from another tab or device of this person: stored, so no longer waiting here either.
    const sentHere = messages.filter((m) => m.sender.id === this.user.id).map((m) => m.clientMessageId);
    if (sentHere.length > 0) this.outbox.stored(sentHere);
    if (last !== null && skipsAhead(last, messages)) void this.fetchAfter(conversationId, last).catch(() => {});
  }

  /** Sends an outbox item: a message with `message:send`, a reply with `thread:reply`, each with its own id. */
  private async sendItem({ clientMessageId, conversationId, text, thread }: OutboxItem): Promise<SendOutcome> {
    const socket = this.socket;
    if (!socket?.connected) return { kind: "unsent" };
    let result;
    try {
      result = thread
        ? await socket.request(
            "thread:reply",
            { conversationId, rootSeq: thread.rootSeq, clientMessageId, text, alsoToChannel: thread.alsoToChannel },
            ACK_TIMEOUT_MS,
          )
        : await socket.request("message:send", { conversationId, clientMessageId, text }, ACK_TIMEOUT_MS);
    } catch {
      // No ack in time: the message stays pending and goes again on the next flush.
      return { kind: "unsent" };
    }
    if (!result.ok) return { kind: "refused", error: result.error.message };
    const message = result.data;
    // A reply's thread may be new, or not opened here: its replies are read before its pending row goes, so
    // that the thread shows the reply as it is taken out of the outbox.
    if (thread && !this.store.getState().messages[message.conversationId]) {
      await this.openConversation(message.conversationId).catch(() => {});
    } else this.dispatch({ type: "messages-received", conversationId: message.conversationId, messages: [message] });
    // Writing in a conversation means having read it, on every device (as in Slack); a thread as well.
    this.actions.markRead(message.conversationId, message.seq);
    return { kind: "stored" };
  }

  private heard(conversationId: string, seq: number): void {
    this.heardUnheld.set(conversationId, Math.max(seq, this.heardUnheld.get(conversationId) ?? 0));
  }

  /**
   * The newest messages were just loaded, up to `newest`. A live message that arrived while they were read
   * was not kept (there was no history to add it to, or only a window on older ones), and the page may
   * have been read before it was stored: fetch what came after the page.
   */
  private async reachedNewest(conversationId: string, newest: number): Promise<void> {
    const heard = this.heardUnheld.get(conversationId) ?? 0;
    this.heardUnheld.delete(conversationId);
    if (heard > newest) await this.fetchAfter(conversationId, newest);
  }

  private async openConversation(conversationId: string, at?: number): Promise<void> {
    const held = this.store.getState().messages[conversationId];
    if (at !== undefined) {
      if (!held?.messages.some((m) => m.seq === at)) await this.openAround(conversationId, at);
      return;
    }
    if (held) return;
    const page = await this.history({ conversationId });
    this.dispatch({ type: "history-loaded", conversationId, messages: page.messages, hasOlder: page.hasMore });
    await this.reachedNewest(conversationId, page.messages.at(-1)?.seq ?? 0);
  }

  /** A page on each side of a message, read side by side with the same checks as any history page. */
  private async openAround(conversationId: string, seq: number): Promise<void> {
    const [older, newer] = await Promise.all([
      this.history({ conversationId, before: seq + 1, limit: AROUND_PAGE_SIZE }),
      this.history({ conversationId, after: seq, limit: AROUND_PAGE_SIZE }),
    ]);
    // Numbers have no gaps, so only a number past the newest message names none.
    if (older.messages.at(-1)?.seq !== seq) throw new ApiError("not_found", "This message does not exist");
    const messages = [...older.messages, ...newer.messages];
    this.replaceWindow({ conversationId, messages, hasOlder: older.hasMore, hasNewer: newer.hasMore, anchor: seq });
    if (!newer.hasMore) await this.reachedNewest(conversationId, messages.at(-1)!.seq);
  }

  private async jumpToLatest(conversationId: string): Promise<void> {
    const page = await this.history({ conversationId });
    this.replaceWindow({ conversationId, messages: page.messages, hasOlder: page.hasMore, hasNewer: false });
    await this.reachedNewest(conversationId, page.messages.at(-1)?.seq ?? 0);
  }

  /**
   * Live messages that were added to the history being replaced came after its pages were read, and perhaps
   * after the new ones were: what was held is heard of, so that reaching the newest fetches what is missing.
   */
  private replaceWindow(window: Omit<Extract<ChatAction, { type: "history-window-loaded" }>, "type">): void {
    const held = lastHeldSeq(this.store.getState().messages, window.conversationId);
    if (held !== null) this.heard(window.conversationId, held);
    this.dispatch({ type: "history-window-loaded", ...window });
  }

  private async loadOlder(conversationId: string): Promise<void> {
    const first = this.store.getState().messages[conversationId]?.messages[0];
    if (!first) return;
    const page = await this.history({ conversationId, before: first.seq });
    // Not when another window has replaced the one the page was asked for, whose edge it no longer is.
    if (this.store.getState().messages[conversationId]?.messages[0]?.seq !== first.seq) return;
    this.dispatch({ type: "history-loaded", conversationId, messages: page.messages, hasOlder: page.hasMore });
  }

  private async loadNewer(conversationId: string): Promise<void> {
    const held = this.store.getState().messages[conversationId];
    const last = held?.messages.at(-1);
    if (!held?.hasNewer || !last) return;
    const page = await this.history({ conversationId, after: last.seq });
    const now = this.store.getState().messages[conversationId];
    if (!now?.hasNewer || now.messages.at(-1)?.seq !== last.seq) return;
    this.dispatch({ type: "history-loaded", conversationId, messages: page.messages, hasNewer: page.hasMore });
    if (!page.hasMore) await this.reachedNewest(conversationId, page.messages.at(-1)?.seq ?? last.seq);
  }
}

function listen<E extends keyof ServerToClientEvents>(socket: ChatSocket, event: E, listeners: ServerEventListeners) {
  socket.on(event, listeners[event] as SocketEvents[E]);
}
