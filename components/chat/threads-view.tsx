"use client";

import { useEffect, useState } from "react";
import type { FollowedThread } from "@/lib/protocol";
import { conversationLabel } from "@/lib/client/conversation-names";
import { useChatActions, useConversationInfo, useFollowedThread, useMe } from "./chat-hooks";
import { MessageText } from "./message-text";
import { ThreadPanel } from "./thread-panel";
import styles from "./chat.module.css";

/** The threads the person follows, those with unread replies first, then by their latest reply. */
export function ThreadsView() {
  const { loadThreads } = useChatActions();
  const [threads, setThreads] = useState<FollowedThread[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<FollowedThread | null>(null);

  useEffect(() => {
    let current = true;
    loadThreads().then(
      (list) => current && setThreads(list),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [loadThreads]);

  return (
    <>
      <main className={styles.conversation} aria-label="Threads" data-details={open ? "open" : undefined}>
        <header className={styles.header}>
          <div className={styles.headerText}>
            <h1>Threads</h1>
          </div>
        </header>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <div className={styles.threadsList}>
          {threads?.length === 0 && <p className={styles.muted}>Threads you reply to or follow show here.</p>}
          <ul aria-label="Followed threads">
            {(threads ?? []).map((thread) => (
              <ThreadEntry key={thread.id} thread={thread} onOpen={() => setOpen(thread)} />
            ))}
          </ul>
        </div>
      </main>
      {open && <OpenThread thread={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ThreadEntry({ thread, onOpen }: { thread: FollowedThread; onOpen: () => void }) {
  const live = useFollowedThread(thread.id);
  const where = useWhere(thread.parentId);
  const position = live ?? thread;
  const unread = Math.max(0, position.lastSeq - position.lastReadSeq);
  return (
    <li>
      <button type="button" className={styles.threadEntry} onClick={onOpen} data-unread={unread > 0 || undefined}>
        <span className={styles.threadEntryWhere}>
          {where} · {thread.root.sender.name}
        </span>
        <span className={styles.threadEntryText}>
          {thread.root.deletedAt ? "This message was deleted." : <MessageText text={thread.root.text} />}
        </span>
        <span className={styles.muted}>
          {position.lastSeq} {position.lastSeq === 1 ? "reply" : "replies"}
          {unread > 0 && <strong> · {unread} unread</strong>}
        </span>
      </button>
    </li>
  );
}

function OpenThread({ thread, onClose }: { thread: FollowedThread; onClose: () => void }) {
  const where = useWhere(thread.parentId);
  return (
    <ThreadPanel
      parentId={thread.parentId}
      root={thread.root}
      knownThreadId={thread.id}
      where={where}
      onClose={onClose}
    />
  );
}

/** A conversation as the sidebar names it: "#name" for a channel, people's names otherwise. */
function useWhere(conversationId: string): string {
  const me = useMe();
  const conversation = useConversationInfo(conversationId);
  if (!conversation) return "";
  const label = conversationLabel(conversation, me);
  return conversation.kind === "channel" ? `#${label}` : label;
}
