"use client";

import { useRouter } from "next/navigation";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import type { Message } from "@/lib/protocol";
import { dayLabel } from "@/lib/client/day-dividers";
import { countNewFromOthers, toRows, type Row } from "@/lib/client/message-rows";
import { useChatActions, useHistory, useMe, useOutboxFor, useReadPosition } from "./chat-hooks";
import { MessageItem, PendingItem } from "./message-item";
import { usePageActive } from "./use-page-active";
import { useToday } from "./use-today";
import styles from "./chat.module.css";

/** About two message lines: closer to the bottom than this still counts as reading the newest. */
const AT_BOTTOM_SLACK_PX = 60;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

export function MessageList({ conversationId, target }: { conversationId: string; target?: number }) {
  const user = useMe();
  const router = useRouter();
  const { loadOlder, loadNewer, jumpToLatest, markRead } = useChatActions();
  const history = useHistory(conversationId);
  const outbox = useOutboxFor(conversationId);
  const position = useReadPosition(conversationId);
  const pageActive = usePageActive();
  // The oldest message held, while older ones are still to load, only places the row after it (its day
  // divider, its name) rather than being a row: that way no row changes its height when the older page
  // comes, which would move everything under it by as much.
  const rows = useMemo(() => {
    const all = toRows(history?.messages ?? [], outbox, conversationId, user);
    return history?.hasOlder && all.length > 1 ? all.slice(1) : all;
  }, [history, outbox, conversationId, user]);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  // The newest message the reader has had on screen: the pill counts what came after it. Taken from what
  // was rendered rather than from the moment the list stopped being at the bottom, which Virtuoso may
  // report a frame late, after a new message already arrived.
  const [seenSeq, setSeenSeq] = useState(0);
  const [topSeq, setTopSeq] = useState(0);
  // When the day's divider has scrolled away above: the time of the topmost row, whose day floats over the list.
  const [floatingDayOf, setFloatingDayOf] = useState<string | null>(null);
  const today = useToday();
  // Where the reader had left off: the "New messages" line stays above the first message after it until
  // they leave the conversation (undefined: not known yet; null: nothing was unread).
  const [readFrom, setReadFrom] = useState<number | null | undefined>(undefined);
  const [bannerDismissed, setBannerDismissed] = useState(false);
  const reading = atBottom && pageActive;
  const messages = history?.messages;
  const newest = messages?.at(-1);
  // A window opened around a linked message, short of the newest: its bottom is not the conversation's.
  const detached = history?.hasNewer === true;

  if (readFrom === undefined && position && messages) {
    setReadFrom(position.lastReadSeq < position.lastSeq ? position.lastReadSeq : null);
  } else if (readFrom === null && position && !reading && position.lastReadSeq < position.lastSeq) {
    // Someone else wrote while the reader was away (scrolled up, another tab): the line marks it.
    const next = messages?.find((m) => m.seq === position.lastReadSeq + 1);
    if (next && next.sender.id !== user.id) setReadFrom(position.lastReadSeq);
  }

  // Reading is seeing the newest message at the bottom of the list in a tab that has the focus.
  useEffect(() => {
    if (reading && !detached && newest && position && newest.seq > position.lastReadSeq) {
      markRead(conversationId, newest.seq);
    }
  }, [reading, detached, newest, position, conversationId, markRead]);

  const firstRow = rows[0];
  // Sequence numbers have no gaps, so the first row's moves down by exactly the number of messages an
  // older page prepends: what Virtuoso needs to keep the scroll position.
  const firstItemIndex = firstRow?.kind === "message" ? firstRow.message.seq : 1;
  const targetIndex = target !== undefined ? target - firstItemIndex : -1;
  const targetHeld = targetIndex >= 0 && rows[targetIndex]?.kind === "message";
  // A link to another message of this conversation while it is open: there, when it is held (otherwise
  // the window loaded around it opens the list anew, on it).
  const shownTarget = useRef(target);
  useEffect(() => {
    if (target === shownTarget.current) return;
    shownTarget.current = target;
    if (targetHeld) virtuoso.current?.scrollToIndex({ index: targetIndex, align: "center" });
  }, [target, targetHeld, targetIndex]);

  // "Jump to first unread": older pages until the first unread message is held, then there. Each page
  // loaded renders the list anew, and the effect below takes the next step.
  const firstUnread = typeof readFrom === "number" ? firstFromOthers(messages ?? [], readFrom, user.id) : null;
  const jumping = useRef(false);
  const stepTowardFirstUnread = useCallback(() => {
    if (!jumping.current || firstUnread === null || !history) return;
    const first = rows[0];
    if (first?.kind === "message" && first.message.seq > firstUnread && history.hasOlder) {
      loadOlder(conversationId).catch(() => (jumping.current = false));
      return;
    }
    jumping.current = false;
    const index = rows.findIndex((r) => r.kind === "message" && r.message.seq >= firstUnread);
    // In the next frame: Virtuoso takes an older page in (its first index moving down) over the render that
    // follows, and a scroll asked for before that is undone.
    if (index >= 0) requestAnimationFrame(() => virtuoso.current?.scrollToIndex({ index, align: "start" }));
  }, [firstUnread, history, rows, conversationId, loadOlder]);
  useEffect(stepTowardFirstUnread, [stepTowardFirstUnread]);

  if (!history || !messages) return <div className={styles.messages} aria-busy="true" />;
  if (rows.length === 0) {
    return (
      <div className={styles.messages}>
        <p className={styles.empty}>No messages yet. Say hello!</p>
      </div>
    );
  }
  const unseen = atBottom || detached ? 0 : countNewFromOthers(messages, seenSeq, user);
  const unreadAbove =
    firstUnread !== null && position && !bannerDismissed && firstUnread < topSeq ? position.lastSeq - readFrom! : 0;

  return (
    <div className={styles.messagesFrame}>
      {unreadAbove > 0 && (
        <div className={styles.unreadBanner} role="status">
          <span>
            {unreadAbove} new {unreadAbove === 1 ? "message" : "messages"}
          </span>
          <button
            type="button"
            className={styles.bannerButton}
            onClick={() => {
              jumping.current = true;
              stepTowardFirstUnread();
            }}
          >
            Jump to first unread
          </button>
          <button
            type="button"
            className={styles.bannerButton}
            onClick={() => {
              if (position) markRead(conversationId, position.lastSeq);
              setBannerDismissed(true);
            }}
          >
            Mark as read
          </button>
        </div>
      )}
      <Virtuoso
        // A new window (around a linked message, or the newest page again) is a new list, opened where it should.
        key={history.anchor ?? "newest"}
        ref={virtuoso}
        className={styles.messages}
        role="log"
        aria-label="Messages"
        data={rows}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={targetHeld ? { index: targetIndex, align: "center" } : rows.length - 1}
        alignToBottom
        // Follows new rows while the reader is at the bottom; the sender's own new message always
        // brings them down, wherever they were. Instant rather than smooth, and "at the bottom" with
        // some slack: Virtuoso first places a new row at an estimated height and then corrects the
        // scroll position by a few pixels, and with the default 4 px threshold that correction alone
        // made the list think the reader had scrolled away, so it stopped following for good.
        // A window short of the newest follows nothing: the rows its newer pages add are for scrolling to.
        followOutput={(isAtBottom) => (!detached && (isAtBottom || isSending(rows.at(-1))) ? "auto" : false)}
        atBottomThreshold={AT_BOTTOM_SLACK_PX}
        atBottomStateChange={setAtBottom}
        rangeChanged={({ startIndex, endIndex }) => {
          const shown = rows[endIndex - firstItemIndex];
          if (shown?.kind === "message") setSeenSeq((seen) => Math.max(seen, shown.message.seq));
          const top = rows[startIndex - firstItemIndex];
          if (top?.kind === "message") setTopSeq(top.message.seq);
          setFloatingDayOf(top && !top.newDay ? createdAt(top) : null);
        }}
        startReached={() => {
          if (history.hasOlder) void loadOlder(conversationId);
        }}
        endReached={() => {
          if (detached) void loadNewer(conversationId);
        }}
        computeItemKey={(_, row) => (row.kind === "message" ? `m${row.message.seq}` : `p${row.item.clientMessageId}`)}
        itemContent={(_, row) => {
          const divider = row.newDay && <DayDivider label={dayLabel(createdAt(row), today)} />;
          if (row.kind === "pending") {
            return (
              <>
                {divider}
                <PendingItem item={row.item} continued={row.continued} />
              </>
            );
          }
          const isFirstUnread = row.message.seq === firstUnread;
          const continued = row.continued && !isFirstUnread;
          const linked = row.message.seq === target;
          return (
            <>
              {divider}
              {isFirstUnread && (
                <div className={styles.newLine} role="separator" aria-label="New messages">
                  <span aria-hidden>New messages</span>
                </div>
              )}
              {continued ? (
                <ContinuedMessage message={row.message} linked={linked} />
              ) : (
                <MessageItem message={row.message} continued={false} linked={linked} />
              )}
            </>
          );
        }}
      />
      {floatingDayOf && (
        <div className={styles.floatingDay} data-below-banner={unreadAbove > 0 || undefined} aria-hidden>
          <span className={styles.dayPill}>{dayLabel(floatingDayOf, today)}</span>
        </div>
      )}
      {detached && (
        <button
          type="button"
          className={styles.newMessages}
          onClick={() => {
            if (target !== undefined) router.replace(`/c/${conversationId}`);
            void jumpToLatest(conversationId);
          }}
        >
          Jump to latest <span aria-hidden>↓</span>
        </button>
      )}
      {unseen > 0 && (
        <button
          type="button"
          className={styles.newMessages}
          // Instant: Virtuoso corrects an instant scroll for the rows it first measures on the way (the new
          // ones, the New messages line), while a smooth one stopped where its estimates put the bottom, short
          // of the newest message.
          onClick={() => virtuoso.current?.scrollToIndex({ index: "LAST", align: "end" })}
        >
          {unseen} new {unseen === 1 ? "message" : "messages"} <span aria-hidden>↓</span>
        </button>
      )}
    </div>
  );
}

/**
 * Between two days. A row of the list of its own would break the count of rows by sequence number that
 * keeps the scroll position when older messages are prepended, so it is drawn above the day's first row.
 * Sticky positioning cannot keep it on screen: each row is an element of its own, outside of which a
 * sticky child never moves. The list floats the label of the day at its top instead.
 */
function DayDivider({ label }: { label: string }) {
  return (
    <div className={styles.dayDivider} role="separator" aria-label={label}>
      <span className={styles.dayPill} aria-hidden>
        {label}
      </span>
    </div>
  );
}

/**
 * A grouped line, with its time in the gutter on hover or focus, as the first line of a group shows it.
 * Memoized: the list renders its rows anew at each step of a scroll, and most rows are grouped lines.
 */
const ContinuedMessage = memo(function ContinuedMessage({ message, linked }: { message: Message; linked: boolean }) {
  const created = new Date(message.createdAt);
  return (
    <div className={styles.continuedRow}>
      <time dateTime={message.createdAt} title={fullFormat.format(created)} className={styles.gutterTime}>
        {timeFormat.format(created)}
      </time>
      <MessageItem message={message} continued linked={linked} />
    </div>
  );
});

function createdAt(row: Row): string {
  return row.kind === "message" ? row.message.createdAt : row.item.createdAt;
}

function isSending(row: Row | undefined): boolean {
  return row?.kind === "pending" && row.item.status === "pending";
}

/**
 * Where the "New messages" line goes: the first message after the read position that someone else
 * wrote (your own, sent from another device, are not news to you); the one after the position when
 * it is not held yet.
 */
function firstFromOthers(messages: Message[], readFrom: number, me: string): number {
  let seq = readFrom + 1;
  for (const m of messages) {
    if (m.seq < seq) continue;
    if (m.seq > seq || m.sender.id !== me) break;
    seq++;
  }
  return seq;
}
