"use client";

import { useEffect, useState } from "react";
import { conversationLabel } from "@/lib/client/conversation-names";
import type { Followed } from "@/lib/client/engine/slices/threads";
import { useChatActions, useConversationInfo, useFollowedThread, useFollowedThreads, useMe } from "./chat-hooks";
import { MessageText } from "./message-text";
import { ThreadPanel } from "./thread-panel";
import styles from "./chat.module.css";

/**
 * The threads the person follows, those with unread replies first, then by their latest reply; live, from
 * the engine's threads, which new replies, summaries, edits of the roots and read positions keep current.
 */
export function ThreadsView() {
  const { loadThreads } = useChatActions();
  const threads = useFollowedThreads();
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Followed | null>(null);

  // Read again on opening: positions as the server has them now.
  useEffect(() => {
    let current = true;
    loadThreads().catch((e: Error) => current && setError(e.message));
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
      {open && <OpenThread key={open.id} opened={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ThreadEntry({ thread, onOpen }: { thread: Followed; onOpen: () => void }) {
  const where = useWhere(thread.parentId);
  const unread = Math.max(0, thread.lastSeq - thread.lastReadSeq);
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
          {thread.lastSeq} {thread.lastSeq === 1 ? "reply" : "replies"}
          {unread > 0 && <strong> · {unread} unread</strong>}
        </span>
      </button>
    </li>
  );
}

/** The thread opened from the list, as it is now; as it was opened once it is no longer followed. */
function OpenThread({ opened, onClose }: { opened: Followed; onClose: () => void }) {
  const thread = useFollowedThread(opened.id) ?? opened;
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
