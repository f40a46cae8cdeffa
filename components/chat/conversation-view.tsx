"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Composer } from "./composer";
import { useChat } from "./chat-provider";
import { MessageList } from "./message-list";
import styles from "./chat.module.css";

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { state, openConversation, leaveChannel } = useChat();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const conversation = state.conversations.find((c) => c.id === conversationId);

  // The page keys this view by conversation, so each conversation starts with a fresh error state.
  useEffect(() => {
    let current = true;
    openConversation(conversationId).catch((e: Error) => {
      if (current) setError(e.message);
    });
    return () => {
      current = false;
    };
  }, [conversationId, openConversation]);

  if (error) {
    return (
      <main className={styles.conversation}>
        <p role="alert" className={styles.error}>
          {error}
        </p>
      </main>
    );
  }
  const title = conversation?.name ? `#${conversation.name}` : "";

  return (
    <main className={styles.conversation} aria-label={title}>
      <header className={styles.header}>
        <div className={styles.headerText}>
          <h2>{title}</h2>
          {conversation?.topic && <p className={styles.muted}>{conversation.topic}</p>}
        </div>
        {conversation?.kind === "channel" && conversation.name !== "general" && (
          <button
            type="button"
            className={styles.textButton}
            onClick={() =>
              leaveChannel(conversationId).then(
                () => router.push("/"),
                (e: Error) => setError(e.message),
              )
            }
          >
            Leave channel
          </button>
        )}
      </header>
      <MessageList conversationId={conversationId} />
      {conversation && <Composer conversationId={conversationId} label={`Message ${title}`} />}
    </main>
  );
}
