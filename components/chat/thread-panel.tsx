"use client";

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { MAX_MESSAGE_LENGTH, type Message } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { toRows } from "@/lib/client/message-rows";
import { useChatActions, useFollowedThread, useHistory, useMe, useOutboxFor } from "./chat-hooks";
import { EditingProvider } from "./editing-context";
import { CloseIcon } from "./icons";
import { MessageItem, PendingItem } from "./message-item";
import { ThreadOpener } from "./thread-context";
import { useDrafts } from "./use-drafts";
import { useMentionAutocomplete } from "./use-mention-autocomplete";
import { useOnScreen } from "./use-on-screen";
import { usePageActive } from "./use-page-active";
import styles from "./chat.module.css";

/** Closer to the bottom than this (about two lines) still counts as reading the newest replies. */
const AT_NEWEST_SLACK_PX = 60;

/**
 * A message's thread beside its conversation (full screen on a phone): the message on top, its replies
 * below, its own composer, and following it by hand. Replies are read once the newest of them is on screen
 * in a visible tab, as a conversation is once its newest message is. A link to a reply (`linkedReply`)
 * opens the replies around it, scrolled to it and highlighted.
 */
export function ThreadPanel({
  parentId,
  root,
  knownThreadId,
  linkedReply = null,
  where,
  onClose,
}: {
  parentId: string;
  root: Message;
  /** The thread's id when the root's copy may not say it yet (followed before anyone replied). */
  knownThreadId?: string;
  /** The reply a link points to (`&t=`), or a parameter that names none. */
  linkedReply?: number | null | "invalid";
  /** The conversation's name, for the header. */
  where: string;
  onClose: () => void;
}) {
  const id = useId();
  const closeButton = useRef<HTMLButtonElement>(null);
  const threadId = root.thread?.threadId ?? knownThreadId ?? null;
  const history = useHistory(threadId ?? "");
  const replies = history?.messages;
  // Unsent replies are the outbox's, kept by the message replied to: the thread may have no id yet.
  const pending = useOutboxFor(parentId, root.seq);
  const me = useMe();
  const rows = useMemo(() => toRows(replies ?? [], pending, parentId, me), [replies, pending, parentId, me]);
  const followed = useFollowedThread(threadId) !== undefined;
  const { openConversation, loadOlder, loadNewer, markRead, followThread } = useChatActions();
  const active = usePageActive();
  const [error, setError] = useState<string | null>(null);
  const target = typeof linkedReply === "number" ? linkedReply : undefined;
  /** The reply a link named that this thread does not have. */
  const [missing, setMissing] = useState<number | null>(null);
  // No reply is called that, or the message has none: the thread shows as it is, under a notice.
  const notFound = linkedReply === "invalid" || (target !== undefined && (missing === target || !threadId));
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => closeButton.current?.focus(), []);
  useEffect(() => {
    if (!threadId) return;
    let current = true;
    openConversation(threadId, target).catch((e: unknown) => {
      if (!current) return;
      if (!(e instanceof ApiError && e.code === "not_found" && target !== undefined))
        return setError((e as Error).message);
      setMissing(target);
      void openConversation(threadId).catch((again: Error) => current && setError(again.message));
    });
    return () => {
      current = false;
    };
  }, [threadId, target, openConversation]);
  const targetHeld = target !== undefined && replies?.some((m) => m.seq === target) === true;
  useEffect(() => {
    if (targetHeld) list.current?.querySelector(`[data-seq="${target}"]`)?.scrollIntoView({ block: "center" });
  }, [targetHeld, target]);
  // Opens on the newest replies, as a conversation does, unless a link names one, and keeps to them while
  // the reader stays there (their own reply, others' arriving).
  const body = useRef<HTMLDivElement>(null);
  const atNewest = useRef(true);
  useEffect(() => {
    if (target === undefined && atNewest.current && body.current) body.current.scrollTop = body.current.scrollHeight;
  }, [rows.length, target]);
  const newest = replies?.at(-1)?.seq ?? 0;
  const [newestRow, setNewestRow] = useState<HTMLLIElement | null>(null);
  const newestShown = useOnScreen(newestRow);
  // A window around a linked reply, short of the newest, is not the thread read.
  const reading = active && newestShown && !history?.hasNewer;
  useEffect(() => {
    if (threadId && reading && newest > 0) markRead(threadId, newest);
  }, [threadId, reading, newest, markRead]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };
  const toggleFollow = () => followThread(parentId, root.seq, !followed).catch((e: Error) => setError(e.message));

  return (
    <aside className={styles.details} aria-labelledby={`${id}-title`} onKeyDown={onKeyDown} data-thread={root.seq}>
      <header className={styles.detailsHeader}>
        <button
          type="button"
          className={`${styles.iconButton} ${styles.backButton}`}
          aria-label="Back to the conversation"
          onClick={onClose}
        >
          ←
        </button>
        <h2 id={`${id}-title`}>
          Thread <span className={styles.muted}>{where}</span>
        </h2>
        <button
          type="button"
          className={styles.secondaryButton}
          aria-pressed={followed}
          onClick={() => void toggleFollow()}
        >
          {followed ? "Following" : "Follow"}
        </button>
        <button
          ref={closeButton}
          type="button"
          className={styles.iconButton}
          aria-label="Close thread"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>
      <div
        ref={body}
        className={styles.detailsBody}
        onScroll={(event) => {
          const el = event.currentTarget;
          atNewest.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_NEWEST_SLACK_PX;
        }}
      >
        <ThreadOpener.Provider value={null}>
          {/* The root and the replies are numbered apart: each has its own editing, so one number cannot mean both. */}
          <EditingProvider>
            <MessageItem message={root} continued={false} />
          </EditingProvider>
          <p className={styles.threadDivider}>
            {root.thread
              ? `${root.thread.replyCount} ${root.thread.replyCount === 1 ? "reply" : "replies"}`
              : "No replies yet"}
          </p>
          <EditingProvider>
            {notFound && (
              <section className={styles.threadNotFound} role="alert">
                <h3>This reply doesn&apos;t exist</h3>
                <p className={styles.muted}>The link may be mistyped, or it names a reply of another thread.</p>
              </section>
            )}
            {history?.hasOlder && threadId && (
              <button
                type="button"
                className={`${styles.textButton} ${styles.threadMore}`}
                onClick={() => void loadOlder(threadId).catch((e: Error) => setError(e.message))}
              >
                Show older replies
              </button>
            )}
            <ol ref={list} className={styles.threadReplies} aria-label="Replies">
              {rows.map((row) =>
                row.kind === "message" ? (
                  <li key={`m${row.message.seq}`} ref={row.message.seq === newest ? setNewestRow : undefined}>
                    <MessageItem
                      message={row.message}
                      continued={row.continued}
                      inThread={{ parentId, rootSeq: root.seq }}
                      linked={row.message.seq === target}
                    />
                  </li>
                ) : (
                  <li key={`p${row.item.clientMessageId}`}>
                    <PendingItem item={row.item} continued={row.continued} />
                  </li>
                ),
              )}
            </ol>
            {history?.hasNewer && threadId && (
              <button
                type="button"
                className={`${styles.textButton} ${styles.threadMore}`}
                onClick={() => void loadNewer(threadId).catch((e: Error) => setError(e.message))}
              >
                Show newer replies
              </button>
            )}
          </EditingProvider>
        </ThreadOpener.Provider>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
      </div>
      <ThreadComposer parentId={parentId} rootSeq={root.seq} where={where} />
    </aside>
  );
}

/**
 * Enter sends the reply, Shift+Enter starts a new line; what is typed stays as the thread's draft. A reply
 * goes through the outbox, as a message does: it shows at once, pending, and the box is free again.
 */
function ThreadComposer({ parentId, rootSeq, where }: { parentId: string; rootSeq: number; where: string }) {
  const { reply } = useChatActions();
  const drafts = useDrafts();
  const key = { conversationId: parentId, threadRootSeq: rootSeq };
  const [text, setText] = useState(() => drafts.get(key));
  const [alsoToChannel, setAlsoToChannel] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => () => drafts.flush(), [drafts]);

  const edit = (next: string) => {
    setText(next);
    drafts.set(key, next.trim() === "" ? "" : next);
  };
  const mentions = useMentionAutocomplete(parentId, text, box, edit, { inThread: true });
  const tooLong = mentions.encode(text).length > MAX_MESSAGE_LENGTH;
  const canSend = text.trim().length > 0 && !tooLong;
  const submit = () => {
    if (!canSend) return;
    reply(parentId, rootSeq, mentions.encode(text), alsoToChannel);
    setText("");
    mentions.reset();
    // Each reply is asked anew, as in Slack: one sent to the channel does not make the next one go too.
    setAlsoToChannel(false);
    drafts.clear(key);
  };
  return (
    <form
      className={styles.composer}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={box}
        aria-label="Reply in thread"
        placeholder="Reply…"
        rows={1}
        value={text}
        aria-invalid={tooLong || undefined}
        {...mentions.comboboxProps}
        onChange={(event) => edit(event.target.value)}
        onKeyDown={(event) => {
          if (mentions.onKeyDown(event)) return;
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
      />
      {mentions.listbox}
      <button type="submit" className={styles.sendButton} aria-label="Send reply" disabled={!canSend}>
        ➤
      </button>
      <label className={styles.alsoSend}>
        <input type="checkbox" checked={alsoToChannel} onChange={(event) => setAlsoToChannel(event.target.checked)} />
        Also send to {where}
      </label>
    </form>
  );
}
