"use client";

import { useEffect, useMemo } from "react";
import { useChatActions, useMe, useMentionNames } from "./chat-hooks";

/** Conversations whose members this tab asked for to name people: once each. */
const membersAsked = new Set<string>();

/**
 * The names of these people, as far as this client knows them (oneself, direct messages, member lists).
 * When one is missing, the members of `conversationId`, where they wrote or reacted, are read once.
 */
export function usePeopleNames(userIds: readonly string[], conversationId: string): Record<string, string> {
  const me = useMe();
  const { loadMembers } = useChatActions();
  const known = useMentionNames(userIds, []).users;
  const unnamed = userIds.some((id) => id !== me.id && known[id] === undefined);
  useEffect(() => {
    if (!unnamed || membersAsked.has(conversationId)) return;
    membersAsked.add(conversationId);
    void loadMembers(conversationId).catch(() => membersAsked.delete(conversationId));
  }, [unnamed, conversationId, loadMembers]);
  return useMemo(() => ({ ...known, [me.id]: me.name }), [known, me]);
}
