"use client";

import type { ThreadSummary } from "@/lib/protocol";
import { useMentionNames } from "./chat-hooks";
import { initials } from "./sidebar";
import styles from "./chat.module.css";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

/** Under a message with replies, as in Slack: the latest repliers, the count and the last reply's time. */
export function ThreadSummaryRow({ summary, onOpen }: { summary: ThreadSummary; onOpen: () => void }) {
  const names = useMentionNames(summary.replierIds, []);
  const count = `${summary.replyCount} ${summary.replyCount === 1 ? "reply" : "replies"}`;
  const last = `last reply ${timeFormat.format(new Date(summary.lastReplyAt))}`;
  return (
    <button
      type="button"
      className={styles.threadSummary}
      onClick={onOpen}
      aria-label={`${count}, ${last}: open thread`}
    >
      <span className={styles.threadRepliers} aria-hidden>
        {summary.replierIds.map((id) => (
          <span key={id} className={styles.miniAvatar} title={names.users[id]}>
            {names.users[id] ? initials(names.users[id]) : "•"}
          </span>
        ))}
      </span>
      <span className={styles.threadCount}>{count}</span>
      <span className={styles.muted}>· {last}</span>
    </button>
  );
}
