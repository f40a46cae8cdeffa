"use client";

import type { ThreadSummary } from "@/lib/protocol";
import { initials } from "./sidebar";
import { usePeopleNames } from "./use-people-names";
import styles from "./chat.module.css";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const listFormat = new Intl.ListFormat(undefined, { type: "conjunction" });

/**
 * Under a message with replies, as in Slack: the latest repliers' avatars, the count and the last reply's
 * time; the repliers' names are the button's label and title. `conversationId`: the message's, whose
 * members the repliers are.
 */
export function ThreadSummaryRow({
  summary,
  conversationId,
  onOpen,
}: {
  summary: ThreadSummary;
  conversationId: string;
  onOpen: () => void;
}) {
  const names = usePeopleNames(summary.replierIds, conversationId);
  const count = `${summary.replyCount} ${summary.replyCount === 1 ? "reply" : "replies"}`;
  const last = `last reply ${timeFormat.format(new Date(summary.lastReplyAt))}`;
  const known = summary.replierIds.flatMap((id) => names[id] ?? []);
  const from = known.length > 0 ? `, from ${listFormat.format(known)}` : "";
  return (
    <div className={styles.threadSummary}>
      <span className={styles.threadRepliers} aria-hidden>
        {summary.replierIds.map((id) => (
          // Blank until the name is known (the members are read once when it is not).
          <span key={id} className={styles.miniAvatar}>
            {names[id] && initials(names[id])}
          </span>
        ))}
      </span>
      <button
        type="button"
        className={styles.threadSummaryButton}
        onClick={onOpen}
        aria-label={`${count}, ${last}${from}: open thread`}
        title={known.length > 0 ? `From ${listFormat.format(known)}` : undefined}
      >
        <span className={styles.threadCount}>{count}</span>
        <span className={styles.muted}>· {last}</span>
      </button>
    </div>
  );
}
