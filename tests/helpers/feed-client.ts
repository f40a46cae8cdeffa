import { io } from "socket.io-client";
import { z } from "zod";
import {
  messagePageSchema,
  personSchema,
  serverEventSchemas,
  type Change,
  type Conversation,
  type Message,
  type Person,
  type Sync,
} from "@/lib/protocol";
import { sidebar } from "./chat";
import { api, expectBody } from "./http";
import { changePageOf, emitWithAck, type ClientSocket } from "./socket";

/** Conversations whose members and history a load reads side by side (two reads each). */
const LOADS_AT_ONCE = 4;

/** What a client shows: its sidebar, each conversation's members and messages, and its own stream's position. */
export type FeedState = {
  changeSeq: number;
  conversations: Conversation[];
  members: Record<string, Person[]>;
  messages: Record<string, Message[]>;
};

/**
 * A reference client of the change feed, written from the rules in
 * lib/protocol/changes.ts and nothing else: it loads once, then applies each
 * stream's changes in order (live: only the next one; on a gap it asks
 * `changes:list`), and after each connect catches up from `conversations:sync`.
 * Tests compare its state with a fresh load: the feed is right when they agree.
 */
export class FeedClient {
  private changeSeq = 0;
  private readonly conversations = new Map<string, Conversation>();
  private readonly members = new Map<string, Person[]>();
  /** Every message of each conversation held, by sequence number. */
  private readonly messages = new Map<string, Map<number, Message>>();
  private socket: ClientSocket | undefined;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown;

  private constructor(
    private readonly baseUrl: string,
    private readonly cookie: string,
    private readonly userId: string,
  ) {}

  /** A client that has just loaded everything over HTTP, not connected. */
  static async load(baseUrl: string, cookie: string, userId: string): Promise<FeedClient> {
    const client = new FeedClient(baseUrl, cookie, userId);
    const { changeSeq, conversations } = await sidebar(baseUrl, cookie);
    client.changeSeq = changeSeq;
    // A few conversations at a time: the server lets a person have 8 reads running and 64 waiting.
    for (let i = 0; i < conversations.length; i += LOADS_AT_ONCE) {
      await Promise.all(
        conversations.slice(i, i + LOADS_AT_ONCE).map(async (conversation) => {
          client.conversations.set(conversation.id, conversation);
          const [members, messages] = await Promise.all([
            client.loadMembers(conversation.id),
            client.loadHistory(conversation.id),
          ]);
          client.members.set(conversation.id, members);
          client.messages.set(conversation.id, messages);
        }),
      );
    }
    return client;
  }

  /** A fresh load's state: what every client must come to. */
  static async freshState(baseUrl: string, cookie: string, userId: string): Promise<FeedState> {
    return (await FeedClient.load(baseUrl, cookie, userId)).state();
  }

  /** Connects and resolves once the catch-up after `conversations:sync` is done. */
  async connect(): Promise<void> {
    // Listening from the start: the sync can arrive in the same read as the connect packet.
    const socket: ClientSocket = io(this.baseUrl, {
      transports: ["websocket"],
      extraHeaders: { cookie: this.cookie },
      reconnection: false,
      forceNew: true,
    });
    this.socket = socket;
    const synced = new Promise<Sync>((resolve, reject) => {
      socket.once("conversations:sync", resolve);
      socket.once("connect_error", reject);
    });
    socket.on(
      "changes",
      (changes) => void this.enqueue(() => this.onChanges(serverEventSchemas.changes.parse(changes))),
    );
    socket.on(
      "messages:new",
      (messages) => void this.enqueue(async () => this.onMessages(serverEventSchemas["messages:new"].parse(messages))),
    );
    const sync = serverEventSchemas["conversations:sync"].parse(await synced);
    await this.enqueue(() => this.catchUp(sync));
  }

  disconnect(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  /** Resolves when everything received so far is applied; rejects if applying anything failed. */
  async idle(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
  }

  state(): FeedState {
    const ids = [...this.conversations.keys()].sort();
    return {
      changeSeq: this.changeSeq,
      conversations: ids.map((id) => this.conversations.get(id)!),
      members: Object.fromEntries(ids.map((id) => [id, this.members.get(id) ?? []])),
      messages: Object.fromEntries(
        ids.map((id) => [id, [...(this.messages.get(id)?.values() ?? [])].sort((a, b) => a.seq - b.seq)]),
      ),
    };
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.failure ??= error;
    });
    return this.queue;
  }

  private async catchUp(sync: Sync): Promise<void> {
    if (sync.changeSeq > this.changeSeq) await this.fetchChanges([this.userId]);
    const behind = sync.conversations.filter((s) => {
      const held = this.conversations.get(s.id);
      return held !== undefined && s.changeSeq > held.changeSeq;
    });
    if (behind.length > 0) await this.fetchChanges(behind.map((s) => s.id));
    for (const { id, lastSeq } of sync.conversations) {
      const held = this.conversations.get(id);
      if (held && lastSeq > held.lastSeq) await this.fetchMessages(id, held.lastSeq);
    }
  }

  private async onChanges(changes: Change[]): Promise<void> {
    for (const change of changes) {
      const held = this.position(change.streamId);
      if (held === undefined || change.seq <= held) continue;
      if (change.seq === held + 1) await this.apply(change);
      else await this.fetchChanges([change.streamId]);
    }
  }

  private onMessages(messages: Message[]): void {
    for (const message of messages) {
      const held = this.conversations.get(message.conversationId);
      if (held && message.seq > held.lastSeq) {
        this.conversations.set(held.id, { ...held, lastSeq: message.seq, lastMessageAt: message.createdAt });
      }
      this.messages.get(message.conversationId)?.set(message.seq, message);
    }
  }

  /** Where this client stands in a stream; undefined for a conversation it does not hold. */
  private position(streamId: string): number | undefined {
    return streamId === this.userId ? this.changeSeq : this.conversations.get(streamId)?.changeSeq;
  }

  /** Every change after the positions held, page by page: the feed keeps only each thing's newest. */
  private async fetchChanges(streamIds: string[]): Promise<void> {
    let asking = streamIds;
    while (asking.length > 0) {
      const streams = asking.flatMap((id) => {
        const after = this.position(id);
        return after === undefined ? [] : [{ id, after }];
      });
      if (streams.length === 0) return;
      const ack = await emitWithAck(this.socket!, "changes:list", { streams });
      if (!ack.ok) throw new Error(`changes:list was refused: ${ack.error.code}: ${ack.error.message}`);
      const page = changePageOf(ack.data);
      for (const stream of page.streams) {
        for (const change of stream.changes) {
          if (change.seq > (this.position(change.streamId) ?? Infinity)) await this.apply(change);
        }
      }
      asking = page.streams.filter((s) => s.hasMore).map((s) => s.id);
    }
  }

  private async fetchMessages(conversationId: string, after: number): Promise<void> {
    for (let from = after; ;) {
      const ack = await emitWithAck(this.socket!, "messages:history", { conversationId, after: from, limit: 200 });
      if (!ack.ok) throw new Error(`messages:history was refused: ${ack.error.code}: ${ack.error.message}`);
      this.onMessages(ack.data.messages);
      if (!ack.data.hasMore) return;
      from = ack.data.messages.at(-1)!.seq;
    }
  }

  /** Each change is the new state of one thing: applying it is replacing that thing. */
  private async apply(change: Change): Promise<void> {
    const { data } = change;
    if (change.scope === "user") this.changeSeq = change.seq;
    switch (data.kind) {
      case "membership":
        if (data.conversation) {
          this.conversations.set(data.conversationId, data.conversation);
          this.members.set(data.conversationId, await this.loadMembers(data.conversationId));
          this.messages.set(data.conversationId, await this.loadHistory(data.conversationId));
        } else {
          this.conversations.delete(data.conversationId);
          this.members.delete(data.conversationId);
          this.messages.delete(data.conversationId);
        }
        return;
      case "read": {
        const held = this.conversations.get(data.conversationId);
        if (held) this.conversations.set(held.id, { ...held, lastReadSeq: data.lastReadSeq });
        return;
      }
      case "conversation": {
        const held = this.conversations.get(change.streamId);
        if (held) this.conversations.set(held.id, { ...held, ...data.conversation, changeSeq: change.seq });
        return;
      }
      case "member": {
        const held = this.conversations.get(change.streamId);
        if (!held) return;
        const others = (this.members.get(held.id) ?? []).filter((m) => m.id !== data.userId);
        this.members.set(held.id, data.member ? sortPeople([...others, data.member]) : others);
        this.conversations.set(held.id, { ...held, changeSeq: change.seq });
        return;
      }
      case "message": {
        const held = this.conversations.get(change.streamId);
        if (!held) return;
        this.messages.get(held.id)?.set(data.message.seq, data.message);
        this.conversations.set(held.id, { ...held, changeSeq: change.seq });
        return;
      }
      case "reactions": {
        const held = this.conversations.get(change.streamId);
        if (!held) return;
        const messages = this.messages.get(held.id);
        const message = messages?.get(data.seq);
        if (message) messages!.set(data.seq, { ...message, reactions: data.reactions });
        this.conversations.set(held.id, { ...held, changeSeq: change.seq });
      }
    }
  }

  /** A conversation's members now; none when this person has left it again (a later change says so). */
  /** A conversation's whole history over HTTP, as a fresh load reads it; none once this person has left. */
  private async loadHistory(conversationId: string): Promise<Map<number, Message>> {
    const held = new Map<number, Message>();
    for (let after = 0; ;) {
      const res = await api(this.baseUrl, this.cookie).get(
        `/api/conversations/${conversationId}/messages?after=${after}&limit=200`,
      );
      if (res.status === 404 || res.status === 403) return held;
      const page = expectBody(res, 200, messagePageSchema);
      for (const message of page.messages) held.set(message.seq, message);
      if (!page.hasMore) return held;
      after = page.messages.at(-1)!.seq;
    }
  }

  private async loadMembers(conversationId: string): Promise<Person[]> {
    const res = await api(this.baseUrl, this.cookie).get(`/api/conversations/${conversationId}/members`);
    if (res.status === 404 || res.status === 403) return [];
    return expectBody(res, 200, z.object({ members: z.array(personSchema) })).members;
  }
}

/** The server's order (name, then id), for names of plain ASCII letters and digits. */
function sortPeople(people: Person[]): Person[] {
  const key = (p: Person) => `${p.name}\u0000${p.id}`;
  return people.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
