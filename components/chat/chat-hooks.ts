"use client";

import { useCallback, useMemo, useRef, useSyncExternalStore } from "react";
import type { ConversationInfo, Person, User } from "@/lib/protocol";
import type { Connection } from "@/lib/client/engine/actions";
import type { ChatActions } from "@/lib/client/engine/chat-engine";
import type { OutboxItem } from "@/lib/client/engine/outbox-storage";
import type { ChatState } from "@/lib/client/engine/slices";
import type { History } from "@/lib/client/engine/slices/messages";
import {
  followedThreads,
  unreadThreadMentions,
  unreadThreads,
  type Followed,
} from "@/lib/client/engine/slices/threads";
import { sidebarSections, type SidebarSections, type SidebarSort } from "@/lib/client/sidebar-sections";
import { unreadTitle } from "@/lib/client/unread-title";
import { useChatContext } from "./chat-provider";

/**
 * What `select` picks from slice `key`, re-rendering only when that changes: other slices' updates are
 * not heard at all, and within the slice a result `isEqual` to the last one keeps the last one.
 */
function useSlice<K extends keyof ChatState, T>(
  key: K,
  select: (slice: ChatState[K]) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const { store } = useChatContext().engine;
  const last = useRef<{ slice: ChatState[K]; select: typeof select; value: T } | null>(null);
  const subscribe = useCallback((listener: () => void) => store.subscribe(key, listener), [store, key]);
  const getSnapshot = () => {
    const slice = store.getState()[key];
    const previous = last.current;
    if (previous?.slice === slice && previous.select === select) return previous.value;
    const selected = select(slice);
    const value = previous && isEqual(previous.value, selected) ? previous.value : selected;
    last.current = { slice, select, value };
    return value;
  };
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

const sameItems = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
const sameEntries = <T extends object>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((x, i) => sameFields(x, b[i]));
const sameFields = <T extends object>(a: T | undefined, b: T | undefined) =>
  a === b || (!!a && !!b && (Object.keys(a) as (keyof T)[]).every((k) => Object.is(a[k], b[k])));

export const useMe = (): User => useChatContext().engine.user;
export const useWorkspaceName = (): string => useChatContext().workspaceName;
/** Stable across renders: a component that only acts never re-renders for the state. */
export const useChatActions = (): ChatActions => useChatContext().engine.actions;

export const useConnection = (): Connection => useSlice("connection", (connection) => connection);

/**
 * The sidebar's sections: names, unread state and drafts (`drafts`: the conversations with one), unchanged by
 * messages that leave them as they were.
 */
export function useSidebarSections(
  openId: string | undefined,
  sort: SidebarSort,
  drafts: ReadonlySet<string>,
): SidebarSections {
  const me = useMe();
  const select = useCallback(
    (conversations: ChatState["conversations"]) => sidebarSections(conversations, me, openId, sort, drafts),
    [me, openId, sort, drafts],
  );
  return useSlice(
    "conversations",
    select,
    (a, b) => sameEntries(a.channels, b.channels) && sameEntries(a.directs, b.directs),
  );
}

/** Every conversation the person is in, as the sidebar has them. */
export function useSidebarConversations(): ChatState["conversations"] {
  return useSlice("conversations", (conversations: ChatState["conversations"]) => conversations);
}

/** The tab's title with the unread count. */
export function useUnreadTitle(): string {
  const workspaceName = useWorkspaceName();
  const select = useCallback(
    (conversations: ChatState["conversations"]) => unreadTitle(conversations, workspaceName),
    [workspaceName],
  );
  return useSlice("conversations", select);
}

/** What every member sees of a conversation (header, details), unchanged by the messages that move its lastSeq. */
export function useConversationInfo(conversationId: string): ConversationInfo | undefined {
  const select = useCallback(
    (conversations: ChatState["conversations"]): ConversationInfo | undefined => {
      const c = conversations.find((c) => c.id === conversationId);
      if (!c) return undefined;
      const {
        lastSeq: _lastSeq,
        lastReadSeq: _lastReadSeq,
        mentionSeqs: _mentionSeqs,
        changeSeq: _changeSeq,
        lastMessageAt: _at,
        ...info
      } = c;
      return info;
    },
    [conversationId],
  );
  return useSlice("conversations", select, sameFields);
}

/** Where the person's reading stands in a conversation: its newest message and their read position. */
export function useReadPosition(conversationId: string): { lastSeq: number; lastReadSeq: number } | undefined {
  const select = useCallback(
    (conversations: ChatState["conversations"]) => {
      const c = conversations.find((c) => c.id === conversationId);
      return c && { lastSeq: c.lastSeq, lastReadSeq: c.lastReadSeq };
    },
    [conversationId],
  );
  return useSlice("conversations", select, sameFields);
}

/** A conversation's member list, once loadMembers has loaded it; kept live by its changes. */
export function useMembers(conversationId: string): Person[] | undefined {
  const select = useCallback((lists: ChatState["members"]) => lists[conversationId], [conversationId]);
  return useSlice("members", select);
}

export function useGeneralChannelId(): string | undefined {
  return useSlice(
    "conversations",
    (conversations) => conversations.find((c) => c.kind === "channel" && c.name === "general")?.id,
  );
}

export function useHistory(conversationId: string): History | undefined {
  return useSlice("messages", (histories) => histories[conversationId]);
}

/** A thread the person follows, with its reply and read positions; undefined when they do not follow it. */
export function useFollowedThread(threadId: string | null): Followed | undefined {
  return useSlice("threads", (threads) => (threadId ? threads.followed[threadId] : undefined));
}

/** The threads the person follows, in the Threads view's order; null until they have been read. */
export function useFollowedThreads(): Followed[] | null {
  return useSlice(
    "threads",
    (threads) => (threads.loaded ? followedThreads(threads) : null),
    (a, b) => (a === null || b === null ? a === b : sameItems(a, b)),
  );
}

/** How many followed threads have unread replies: the sidebar's Threads badge. */
export function useUnreadThreadCount(): number {
  return useSlice("threads", unreadThreads);
}

/** Unread mentions in the replies of followed threads, which the conversations' counts leave out. */
export function useUnreadThreadMentions(): number {
  return useSlice("threads", unreadThreadMentions);
}

/** This person's unsent messages in one conversation, or (`rootSeq`) replies in one of its threads, from every tab. */
export function useOutboxFor(conversationId: string, rootSeq?: number): OutboxItem[] {
  const select = useCallback(
    (items: ChatState["outbox"]) =>
      items.filter((i) => i.conversationId === conversationId && i.thread?.rootSeq === rootSeq),
    [conversationId, rootSeq],
  );
  return useSlice("outbox", select, sameItems);
}

/** Names for the people and channels a message mentions, as far as this person's client knows them. */
export type MentionNames = { users: Record<string, string>; channels: Record<string, string> };

/**
 * The names of just these ids, so that a message re-renders only when one of its own mentions is
 * renamed: people from direct messages and loaded member lists, channels from the sidebar.
 */
export function useMentionNames(userIds: readonly string[], channelIds: readonly string[]): MentionNames {
  const userKey = userIds.join(",");
  const channelKey = channelIds.join(",");
  const selectChannels = useCallback(
    (conversations: ChatState["conversations"]) =>
      namesOf(channelKey, (id) => conversations.find((c) => c.id === id && c.kind === "channel")?.name ?? undefined),
    [channelKey],
  );
  const selectDmPeople = useCallback(
    (conversations: ChatState["conversations"]) =>
      namesOf(userKey, (id) => conversations.flatMap((c) => c.members).find((p) => p.id === id)?.name),
    [userKey],
  );
  const selectMembers = useCallback(
    (lists: ChatState["members"]) =>
      namesOf(
        userKey,
        (id) =>
          Object.values(lists)
            .flatMap((people) => people ?? [])
            .find((p) => p.id === id)?.name,
      ),
    [userKey],
  );
  const channels = useSlice("conversations", selectChannels, sameNames);
  const dmPeople = useSlice("conversations", selectDmPeople, sameNames);
  const members = useSlice("members", selectMembers, sameNames);
  return useMemo(() => ({ users: { ...members, ...dmPeople }, channels }), [members, dmPeople, channels]);
}

const sameNames = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && sameFields(a, b);

function namesOf(key: string, nameOf: (id: string) => string | undefined): Record<string, string> {
  const names: Record<string, string> = {};
  if (!key) return names;
  for (const id of key.split(",")) {
    const name = nameOf(id);
    if (name !== undefined) names[id] = name;
  }
  return names;
}
