"use client";

import type { Message } from "@/lib/protocol";
import type { OutboxItem } from "@/lib/client/engine/outbox-storage";
import { useMemo, useRef, useState } from "react";
import { mentionsReader, namesReader } from "@/lib/markdown/mentions";
import type { MessageAction } from "@/lib/policy/rules";
import { mayChangeMessage } from "@/lib/client/permissions";
import { messagePath } from "@/lib/client/permalinks";
import { useChatActions, useConversationInfo, useMe } from "./chat-hooks";
import { useEditing } from "./editing-context";
import { MessageActions } from "./message-actions";
import actionStyles from "./message-actions.module.css";
import { MessageEditor } from "./message-editor";
import { LinkPreviewCard } from "./link-preview-card";
import { MessageReactions } from "./message-reactions";
import { MessageText } from "./message-text";
import { initials } from "./sidebar";
import { useThreadOpener } from "./thread-context";
import { ThreadSummaryRow } from "./thread-summary";
import styles from "./chat.module.css";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

export function MessageItem({
  message,
  continued,
  inThread,
  linked = false,
}: {
  message: Message;
  continued: boolean;
  /**
   * A reply's: the conversation and the message whose thread it is in. The parent's rules apply to it, and its
   * link names both.
   */
  inThread?: { parentId: string; rootSeq: number };
  /** The message the page's link points to: highlighted a moment as the list opens on it. */
  linked?: boolean;
}) {
  const created = new Date(message.createdAt);
  const me = useMe();
  const conversation = useConversationInfo(inThread?.parentId ?? message.conversationId);
  const { editingSeq, startEditing, stopEditing } = useEditing();
  const { removePreview } = useChatActions();
  const deleted = message.deletedAt !== null;
  const editing = editingSeq === message.seq && !deleted;
  const [pickerAnchor, setPickerAnchor] = useState<HTMLElement | null>(null);
  const article = useRef<HTMLElement>(null);
  // A reply mentions people by name only: @channel in it calls no one, as the server stores it.
  const mentionsMe = useMemo(
    () => (inThread ? namesReader : mentionsReader)(message.text, message.sender.id, me.id),
    [inThread, message.text, message.sender.id, me.id],
  );
  const can = (action: MessageAction) =>
    !deleted && conversation !== undefined && mayChangeMessage(me, action, conversation, message);
  const openThread = useThreadOpener();
  // Replying needs what reacting does: posting here, to a message not deleted.
  const canReply = openThread !== null && can("react");
  return (
    <article
      ref={article}
      className={`${styles.message} ${actionStyles.host}`}
      data-seq={message.seq}
      data-continued={continued || undefined}
      data-mentions-me={mentionsMe || undefined}
      data-linked={linked || undefined}
      // Focusable by a tap, so that touch screens, which have no hover, can show the toolbar.
      tabIndex={-1}
    >
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
        {message.alsoSentFrom && (
          <p className={styles.muted}>
            Replied to a thread
            {openThread && (
              <>
                {" · "}
                <button
                  type="button"
                  className={styles.textButton}
                  onClick={() => openThread(message.alsoSentFrom!.rootSeq)}
                >
                  View thread
                </button>
              </>
            )}
          </p>
        )}
        {deleted ? (
          <p className={actionStyles.tombstone}>This message was deleted.</p>
        ) : editing ? (
          <MessageEditor message={message} inThread={inThread} onDone={stopEditing} />
        ) : (
          <div className={actionStyles.withEdited}>
            <MessageText text={message.text} />
            {message.editedAt && (
              <span className={actionStyles.edited} title={`Edited ${fullFormat.format(new Date(message.editedAt))}`}>
                {" "}
                (edited)
              </span>
            )}
          </div>
        )}
        {!deleted && !editing && message.linkPreview && (
          <LinkPreviewCard
            preview={message.linkPreview}
            onRemove={can("removePreview") ? () => removePreview(message.conversationId, message.seq) : undefined}
          />
        )}
        {!deleted && (
          <MessageReactions
            message={message}
            membersOf={inThread?.parentId ?? message.conversationId}
            canReact={can("react")}
            pickerAnchor={pickerAnchor}
            onOpenPicker={setPickerAnchor}
            onClosePicker={() => setPickerAnchor(null)}
          />
        )}
        {openThread && message.thread && (
          <ThreadSummaryRow
            summary={message.thread}
            conversationId={message.conversationId}
            onOpen={() => openThread(message.seq)}
          />
        )}
      </div>
      {!editing && (
        <MessageActions
          message={message}
          canReact={can("react")}
          canEdit={can("editMessage")}
          canDelete={can("deleteMessage")}
          // A reply's copy in the channel is answered in the reply's own thread, where the server puts it.
          onReply={canReply ? () => openThread(message.alsoSentFrom?.rootSeq ?? message.seq) : undefined}
          onReact={setPickerAnchor}
          onEdit={() => startEditing(message.seq, article.current ?? undefined)}
          path={
            inThread
              ? messagePath(inThread.parentId, inThread.rootSeq, message.seq)
              : messagePath(message.conversationId, message.seq)
          }
        />
      )}
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
          <span className="visually-hidden">{status}</span>
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
