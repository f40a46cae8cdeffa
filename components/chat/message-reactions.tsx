"use client";

import { useMemo, useState } from "react";
import type { Message } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { LazyEmojiPicker } from "@/components/emoji/lazy-emoji-picker";
import { Reactions } from "@/components/emoji/reactions";
import { useChatActions, useMe } from "./chat-hooks";
import { usePeopleNames } from "./use-people-names";
import styles from "./message-actions.module.css";

/**
 * A message's reaction pills, and the emoji picker when one of its buttons (a pill row's "add", or the
 * toolbar's) opened it. Toggles show at once; a refusal takes them back and says why.
 */
export function MessageReactions({
  message,
  membersOf,
  canReact,
  pickerAnchor,
  onOpenPicker,
  onClosePicker,
}: {
  message: Message;
  /** The conversation whose members reacted: a reply's thread has its parent's. */
  membersOf: string;
  canReact: boolean;
  pickerAnchor: HTMLElement | null;
  onOpenPicker: (anchor: HTMLElement) => void;
  onClosePicker: () => void;
}) {
  const me = useMe();
  const { react } = useChatActions();
  const [error, setError] = useState<string | null>(null);
  const reactorIds = useMemo(() => [...new Set(message.reactions.flatMap((r) => r.userIds))], [message.reactions]);
  const names = usePeopleNames(reactorIds, membersOf);

  const set = (emoji: string, present: boolean) => {
    setError(null);
    react(message.conversationId, message.seq, emoji, present).catch((caught: unknown) =>
      setError(caught instanceof ApiError ? caught.message : "The reaction could not be saved. Try again."),
    );
  };
  const mine = (emoji: string) => message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(me.id));

  return (
    <>
      <Reactions
        reactions={message.reactions.map((r) => ({ ...r, count: r.userIds.length }))}
        me={me.id}
        nameOf={(id) => names[id] ?? "Someone"}
        onToggle={(emoji) => canReact && set(emoji, !mine(emoji))}
        onAdd={onOpenPicker}
      />
      {pickerAnchor && (
        <LazyEmojiPicker
          anchor={pickerAnchor}
          onPick={(emoji: string) => {
            if (!mine(emoji)) set(emoji, true);
          }}
          onClose={onClosePicker}
        />
      )}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </>
  );
}
