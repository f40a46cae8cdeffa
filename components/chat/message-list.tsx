"use client";

import { useMemo } from "react";
import { Virtuoso } from "react-virtuoso";
import type { Message } from "@/lib/protocol";
import type { OutboxItem } from "@/lib/client/outbox";
import { useChat } from "./chat-provider";
import { MessageItem, PendingItem } from "./message-item";
import styles from "./chat.module.css";

type Row = { kind: "message"; message: Message; continued: boolean } | { kind: "pending"; item: OutboxItem };

/** Five minutes: later messages from the same person start a new group with name and time. */
const GROUP_GAP_MS = 5 * 60 * 1000;

export function MessageList({ conversationId }: { conversationId: string }) {
  const { state, loadOlder } = useChat();
  const history = state.histories[conversationId];
  const rows = useMemo(
    () => toRows(history?.messages ?? [], state.outbox, conversationId),
    [history, state.outbox, conversationId],
  );

  if (!history) return <div className={styles.messages} aria-busy="true" />;
  if (rows.length === 0) {
    return (
      <div className={styles.messages}>
        <p className={styles.empty}>No messages yet. Say hello!</p>
      </div>
    );
  }
  // Sequence numbers have no gaps, so the first one held moves down by exactly the number of
  // messages an older page prepends: what Virtuoso needs to keep the scroll position.
  const firstItemIndex = history.messages[0]?.seq ?? 1;

  return (
    <Virtuoso
      className={styles.messages}
      role="log"
      aria-label="Messages"
      data={rows}
      firstItemIndex={firstItemIndex}
      initialTopMostItemIndex={rows.length - 1}
      alignToBottom
      followOutput={(atBottom) => (atBottom ? "smooth" : false)}
      startReached={() => {
        if (history.hasOlder) void loadOlder(conversationId);
      }}
      computeItemKey={(_, row) => (row.kind === "message" ? `m${row.message.seq}` : `p${row.item.clientMessageId}`)}
      itemContent={(_, row) =>
        row.kind === "message" ? (
          <MessageItem message={row.message} continued={row.continued} />
        ) : (
          <PendingItem item={row.item} />
        )
      }
    />
  );
}

function toRows(messages: Message[], outbox: OutboxItem[], conversationId: string): Row[] {
  const stored = new Set(messages.map((m) => m.clientMessageId));
  const rows: Row[] = messages.map((message, i) => {
    const previous = messages[i - 1];
    const continued =
      previous !== undefined &&
      previous.sender.id === message.sender.id &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
    return { kind: "message", message, continued };
  });
  for (const item of outbox) {
    if (item.conversationId === conversationId && !stored.has(item.clientMessageId))
      rows.push({ kind: "pending", item });
  }
  return rows;
}
