"use client";

import type { Message } from "@/lib/protocol";
import type { OutboxItem } from "@/lib/client/engine/outbox-storage";
import { useChatActions, useMe } from "./chat-hooks";
import { MessageText } from "./message-text";
import { initials } from "./sidebar";
import styles from "./chat.module.css";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

export function MessageItem({ message, continued }: { message: Message; continued: boolean }) {
  const created = new Date(message.createdAt);
  return (
    <article className={styles.message} data-seq={message.seq} data-continued={continued || undefined}>
      <Avatar name={message.sender.name} continued={continued} />
      <div className={styles.messageBody}>
        {!continued && (
          <header>
            <strong>{message.sender.name}</strong>{" "}
            <time dateTime={message.createdAt} title={fullFormat.format(created)} className={styles.muted}>
              {timeFormat.format(created)}
            </time>
          </header>
        )}
        <MessageText text={message.text} />
      </div>
    </article>
  );
}

/** Laid out like the stored message it becomes (same grouping, same height), only faded. */
export function PendingItem({ item, continued }: { item: OutboxItem; continued: boolean }) {
  const user = useMe();
  const { retry, discard } = useChatActions();
  const status = item.status === "pending" ? "Sending…" : "Not sent";
  return (
    <article className={styles.message} data-pending={item.status} data-continued={continued || undefined}>
      <Avatar name={user.name} continued={continued} />
      <div className={styles.messageBody}>
        {continued ? (
          <span className={styles.visuallyHidden}>{status}</span>
        ) : (
          <header>
            <strong>{user.name}</strong> <span className={styles.muted}>{status}</span>
          </header>
        )}
        <MessageText text={item.text} />
        {item.status === "failed" && (
          <p className={styles.error} role="alert">
            {item.error}{" "}
            <button type="button" className={styles.textButton} onClick={() => retry(item.clientMessageId)}>
              Retry
            </button>
            <button type="button" className={styles.textButton} onClick={() => discard(item.clientMessageId)}>
              Discard
            </button>
          </p>
        )}
      </div>
    </article>
  );
}

function Avatar({ name, continued }: { name: string; continued: boolean }) {
  if (continued) return <span className={styles.gutter} />;
  return (
    <span className={styles.avatar} aria-hidden>
      {initials(name)}
    </span>
  );
}
