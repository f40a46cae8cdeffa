"use client";

import type { Message } from "@/lib/protocol";
import type { OutboxItem } from "@/lib/client/outbox";
import { useChat } from "./chat-provider";
import { initials } from "./sidebar";
import styles from "./chat.module.css";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

export function MessageItem({ message, continued }: { message: Message; continued: boolean }) {
  const created = new Date(message.createdAt);
  return (
    <article className={styles.message} data-seq={message.seq} data-continued={continued || undefined}>
      {continued ? (
        <span className={styles.gutter} />
      ) : (
        <span className={styles.avatar} aria-hidden>
          {initials(message.sender.name)}
        </span>
      )}
      <div className={styles.messageBody}>
        {!continued && (
          <header>
            <strong>{message.sender.name}</strong>{" "}
            <time dateTime={message.createdAt} title={fullFormat.format(created)} className={styles.muted}>
              {timeFormat.format(created)}
            </time>
          </header>
        )}
        <p className={styles.text}>{message.text}</p>
      </div>
    </article>
  );
}

export function PendingItem({ item }: { item: OutboxItem }) {
  const { user, retry, discard } = useChat();
  return (
    <article className={styles.message} data-pending={item.status}>
      <span className={styles.avatar} aria-hidden>
        {initials(user.name)}
      </span>
      <div className={styles.messageBody}>
        <header>
          <strong>{user.name}</strong>{" "}
          <span className={styles.muted}>{item.status === "pending" ? "Sending…" : "Not sent"}</span>
        </header>
        <p className={styles.text}>{item.text}</p>
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
