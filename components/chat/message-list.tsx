"use client";

import { useMemo, useRef, useState } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import { countNewFromOthers, toRows, type Row } from "@/lib/client/message-rows";
import { useChatActions, useHistory, useMe, useOutboxFor } from "./chat-hooks";
import { MessageItem, PendingItem } from "./message-item";
import styles from "./chat.module.css";

/** About two message lines: closer to the bottom than this still counts as reading the newest. */
const AT_BOTTOM_SLACK_PX = 60;

export function MessageList({ conversationId }: { conversationId: string }) {
  const user = useMe();
  const { loadOlder } = useChatActions();
  const history = useHistory(conversationId);
  const outbox = useOutboxFor(conversationId);
  const rows = useMemo(
    () => toRows(history?.messages ?? [], outbox, conversationId, user),
    [history, outbox, conversationId, user],
  );
  const virtuoso = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  // The newest message the reader has had on screen: the pill counts what came after it. Taken from what
  // was rendered rather than from the moment the list stopped being at the bottom, which Virtuoso may
  // report a frame late, after a new message already arrived.
  const [seenSeq, setSeenSeq] = useState(0);

  if (!history) return <div className={styles.messages} aria-busy="true" />;
  if (rows.length === 0) {
    return (
      <div className={styles.messages}>
        <p className={styles.empty}>No messages yet. Say hello!</p>
      </div>
    );
  }
  const messages = history.messages;
  const unseen = atBottom ? 0 : countNewFromOthers(messages, seenSeq, user);
  // Sequence numbers have no gaps, so the first one held moves down by exactly the number of
  // messages an older page prepends: what Virtuoso needs to keep the scroll position.
  const firstItemIndex = messages[0]?.seq ?? 1;

  return (
    <div className={styles.messagesFrame}>
      <Virtuoso
        ref={virtuoso}
        className={styles.messages}
        role="log"
        aria-label="Messages"
        data={rows}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={rows.length - 1}
        alignToBottom
        // Follows new rows while the reader is at the bottom; the sender's own new message always
        // brings them down, wherever they were. Instant rather than smooth, and "at the bottom" with
        // some slack: Virtuoso first places a new row at an estimated height and then corrects the
        // scroll position by a few pixels, and with the default 4 px threshold that correction alone
        // made the list think the reader had scrolled away, so it stopped following for good.
        followOutput={(isAtBottom) => (isAtBottom || isSending(rows.at(-1)) ? "auto" : false)}
        atBottomThreshold={AT_BOTTOM_SLACK_PX}
        atBottomStateChange={setAtBottom}
        rangeChanged={({ endIndex }) => {
          const shown = rows[endIndex - firstItemIndex];
          if (shown?.kind === "message") setSeenSeq((seen) => Math.max(seen, shown.message.seq));
        }}
        startReached={() => {
          if (history.hasOlder) void loadOlder(conversationId);
        }}
        computeItemKey={(_, row) => (row.kind === "message" ? `m${row.message.seq}` : `p${row.item.clientMessageId}`)}
        itemContent={(_, row) =>
          row.kind === "message" ? (
            <MessageItem message={row.message} continued={row.continued} />
          ) : (
            <PendingItem item={row.item} continued={row.continued} />
          )
        }
      />
      {unseen > 0 && (
        <button
          type="button"
          className={styles.newMessages}
          onClick={() => virtuoso.current?.scrollToIndex({ index: "LAST", align: "end", behavior: "smooth" })}
        >
          {unseen} new {unseen === 1 ? "message" : "messages"} <span aria-hidden>↓</span>
        </button>
      )}
    </div>
  );
}

function isSending(row: Row | undefined): boolean {
  return row?.kind === "pending" && row.item.status === "pending";
}
