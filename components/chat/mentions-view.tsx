"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { conversationLabel } from "@/lib/client/conversation-names";
import { messagePath } from "@/lib/client/permalinks";
import type { MentionPage } from "@/lib/protocol";
import { useChatActions, useMe, useSidebarConversations } from "./chat-hooks";
import { MessageText } from "./message-text";
import styles from "./chat.module.css";

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

type Mention = MentionPage["mentions"][number];

/** Where a mention leads: the message, in its conversation, or the reply, in its thread there. */
export const mentionHref = ({ message, inThread }: Mention) =>
  inThread
    ? messagePath(inThread.parentId, inThread.rootSeq, message.seq)
    : messagePath(message.conversationId, message.seq);

/** The messages that mention you, across conversations, newest first, a page at a time. */
export function MentionsView() {
  const { listMentions } = useChatActions();
  const me = useMe();
  const conversations = useSidebarConversations();
  const [pages, setPages] = useState<MentionPage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let current = true;
    listMentions().then(
      (page) => {
        if (!current) return;
        setPages([page]);
        setLoading(false);
      },
      (e: Error) => current && (setError(e.message), setLoading(false)),
    );
    return () => {
      current = false;
    };
  }, [listMentions]);

  const mentions = pages.flatMap((p) => p.mentions);
  const hasMore = pages.at(-1)?.hasMore ?? false;
  const loadOlder = () => {
    setLoading(true);
    listMentions(mentions.at(-1)?.cursor).then(
      (page) => {
        setPages((held) => [...held, page]);
        setLoading(false);
      },
      (e: Error) => (setError(e.message), setLoading(false)),
    );
  };
  const where = ({ message, inThread }: Mention) => {
    const conversation = conversations.find((c) => c.id === (inThread?.parentId ?? message.conversationId));
    const label = conversation ? conversationLabel(conversation, me) : "a conversation";
    const name = conversation?.kind === "channel" ? `#${label}` : label;
    return inThread ? `a thread in ${name}` : name;
  };

  return (
    <main className={styles.conversation} aria-label="Mentions">
      <header className={styles.header}>
        <div className={styles.headerText}>
          <h1>Mentions</h1>
          <p className={styles.muted}>Messages that mention you, newest first</p>
        </div>
      </header>
      <div className={styles.mentionsScroll}>
        {error && (
          <p className={styles.error} role="alert">
            {error}
          </p>
        )}
        {!loading && mentions.length === 0 && !error && <p className={styles.muted}>No one has mentioned you yet.</p>}
        <ul className={styles.mentionsList}>
          {mentions.map((mention) => (
            <li key={mention.cursor} className={styles.mentionCard}>
              <span className={styles.mentionWhere}>
                <strong>{mention.message.sender.name}</strong> in{" "}
                <Link href={mentionHref(mention)}>{where(mention)}</Link>{" "}
                <time dateTime={mention.message.createdAt} className={styles.muted}>
                  {timeFormat.format(new Date(mention.message.createdAt))}
                </time>
              </span>
              <MessageText text={mention.message.text} />
            </li>
          ))}
        </ul>
        {hasMore && (
          <button type="button" className={styles.textButton} onClick={loadOlder} disabled={loading}>
            Show older mentions
          </button>
        )}
      </div>
    </main>
  );
}
