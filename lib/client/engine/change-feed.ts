import { MAX_STREAMS_PER_REQUEST, type Change, type ChangePage, type Conversation, type Sync } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import type { ChatAction } from "./actions";

type Dependencies = {
  userId: string;
  dispatch: (action: ChatAction) => void;
  conversation: (id: string) => Conversation | undefined;
  /** The feed position held for a followed thread's stream; undefined when it is not followed. */
  threadSeq: (id: string) => number | undefined;
  /** The threads whose replies are held (opened) but which are not followed. */
  openThreads: () => string[];
  /** Reads the followed threads again: a new follow's positions come from the server, never guessed. */
  reloadThreads: () => Promise<void>;
  /** changes:list: the changes of each stream after the position given. */
  fetch: (streams: { id: string; after: number }[]) => Promise<ChangePage>;
  /** Loads the sidebar once (again after a failure); resolves with the user stream's position it was read at. */
  loadSidebar: () => Promise<number>;
};

/**
 * Keeps the conversations held equal to the server's, from their change
 * streams: the person's own (memberships, read positions) and each
 * conversation's (name, topic, members...). Every change is the new state of
 * one thing, so applying a stream's changes in order from any position ends
 * where a fresh load would. A stream's position is held here for the user's,
 * and in each conversation (`changeSeq`). Live changes apply when they are the
 * next of their stream; a gap, or a position behind the one `conversations:sync`
 * reports after a connect, is filled by asking for what came after the position
 * held (the server keeps only the newest change of each thing, so that answer
 * may skip numbers). Work runs one piece at a time, in arrival order.
 */
export class ChangeFeed {
  private userSeq: number | null = null;
  /**
   * Positions in the streams of threads opened but not followed (a followed one's is in the threads slice).
   * Unknown until their first change: 0 then, since applying a stream from its start ends where a fresh
   * load would, and a live change past it fetches what came before.
   */
  private readonly openThreadSeqs = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: Dependencies) {}

  /** Live changes of one stream. */
  receive(changes: Change[]): Promise<void> {
    return this.enqueue(async () => {
      for (const change of changes) {
        const held = this.position(change);
        if (held === null || change.seq <= held) continue;
        if (change.seq > held + 1) {
          await this.fetchAfter([{ id: change.streamId, after: held }]);
          return;
        }
        this.apply(change);
      }
    });
  }

  /** After a connect: catch up every stream the server has moved past, the person's own first. */
  sync(sync: Sync): Promise<void> {
    return this.enqueue(async () => {
      if (sync.changeSeq > (this.userSeq ?? 0))
        await this.fetchAfter([{ id: this.deps.userId, after: this.userSeq ?? 0 }]);
      const unknown = sync.conversations.some((c) => !this.deps.conversation(c.id));
      // A conversation the person is in but this client never heard of: the sidebar is read again.
      if (unknown) this.userSeq = await this.deps.loadSidebar();
      const behind = [...sync.conversations, ...sync.threads].flatMap(({ id, changeSeq }) => {
        const held = this.deps.conversation(id)?.changeSeq ?? this.deps.threadSeq(id);
        return held !== undefined && changeSeq > held ? [{ id, after: held }] : [];
      });
      await this.fetchAfter(behind);
      // The sync does not name threads that are not followed: those opened ask what they missed, each on its
      // own, since the server refuses a whole request for one stream the person may no longer read.
      for (const id of this.deps.openThreads()) await this.catchUpOpenThread(id);
    });
  }

  /** Catches up a thread opened but not followed; one whose conversation the person left is let go. */
  private async catchUpOpenThread(id: string): Promise<void> {
    try {
      await this.fetchAfter([{ id, after: this.openThreadSeqs.get(id) ?? 0 }]);
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === "not_found" || error.code === "forbidden"))) throw error;
      this.openThreadSeqs.delete(id);
      this.deps.dispatch({ type: "thread-lost", threadId: id });
    }
  }

  /** Loads the sidebar, unless it is loaded already. */
  start(): Promise<void> {
    return this.enqueue(async () => {});
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.userSeq === null) this.userSeq = await this.deps.loadSidebar();
      await work();
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private position(change: Change): number | null {
    const id = change.streamId;
    if (change.scope === "user") return id === this.deps.userId ? this.userSeq : null;
    const held = this.deps.conversation(id)?.changeSeq ?? this.deps.threadSeq(id);
    if (held !== undefined) return held;
    return this.deps.openThreads().includes(id) ? (this.openThreadSeqs.get(id) ?? 0) : null;
  }

  private async fetchAfter(streams: { id: string; after: number }[]): Promise<void> {
    let pending = streams;
    while (pending.length > 0) {
      const next: { id: string; after: number }[] = [];
      for (let i = 0; i < pending.length; i += MAX_STREAMS_PER_REQUEST) {
        const page = await this.deps.fetch(pending.slice(i, i + MAX_STREAMS_PER_REQUEST));
        for (const stream of page.streams) {
          for (const change of stream.changes) {
            const held = this.position(change);
            if (held !== null && change.seq > held) this.apply(change);
          }
          const last = stream.changes.at(-1);
          if (stream.hasMore && last) next.push({ id: stream.id, after: last.seq });
        }
      }
      pending = next;
    }
  }

  private apply({ scope, streamId, seq, data }: Change): void {
    const { dispatch } = this.deps;
    if (scope === "user") this.userSeq = seq;
    // A conversation's and a followed thread's positions are kept with them; any other applied is an open thread's.
    else if (!this.deps.conversation(streamId) && this.deps.threadSeq(streamId) === undefined)
      this.openThreadSeqs.set(streamId, seq);
    switch (data.kind) {
      case "membership":
        if (data.conversation) dispatch({ type: "conversation-joined", conversation: data.conversation });
        else dispatch({ type: "conversation-left", conversationId: data.conversationId });
        return;
      case "read":
        dispatch({ type: "read-moved", conversationId: data.conversationId, lastReadSeq: data.lastReadSeq });
        return;
      case "conversation":
        dispatch({ type: "conversation-changed", info: data.conversation, changeSeq: seq });
        return;
      case "member":
        dispatch({
          type: "member-changed",
          conversationId: data.conversationId,
          userId: data.userId,
          member: data.member,
          changeSeq: seq,
        });
        return;
      case "message":
        dispatch({ type: "message-changed", message: data.message, changeSeq: seq });
        return;
      case "reactions":
        dispatch({
          type: "reactions-changed",
          conversationId: data.conversationId,
          seq: data.seq,
          reactions: data.reactions,
          changeSeq: seq,
        });
        return;
      case "thread":
        dispatch({
          type: "thread-summary-changed",
          conversationId: data.conversationId,
          seq: data.seq,
          thread: data.thread,
          changeSeq: seq,
        });
        return;
      case "following":
        if (data.following) void this.deps.reloadThreads().catch(() => {});
        else dispatch({ type: "thread-unfollowed", threadId: data.conversationId });
        return;
    }
  }
}
