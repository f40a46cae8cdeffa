"use client";

import { useEffect, useRef, useState } from "react";
import type { Message } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { preloadEmojiPicker } from "@/components/emoji/lazy-emoji-picker";
import { useChatActions } from "./chat-hooks";
import { useEditing } from "./editing-context";
import { LinkIcon, PencilIcon, ReactionIcon, ThreadIcon, TrashIcon } from "./icons";
import styles from "./message-actions.module.css";

/** How long "Link copied" shows. */
const COPIED_NOTE_MS = 2000;

/**
 * The toolbar a message shows on hover or focus: react, reply in thread, edit and delete, each only where the
 * rules allow it, and copy its link, for anyone.
 * Delete asks once more in place before it erases the text.
 */
export function MessageActions({
  message,
  canReact,
  canEdit,
  canDelete,
  onReply,
  onReact,
  onEdit,
  path,
}: {
  message: Message;
  canReact: boolean;
  canEdit: boolean;
  canDelete: boolean;
  /** Opens the message's thread; absent where it cannot be replied to. */
  onReply?: () => void;
  /** Opens the emoji picker against the button pressed. */
  onReact: (button: HTMLButtonElement) => void;
  onEdit: () => void;
  /** The message's link, within this site (`messagePath`): what "Copy link" copies. */
  path: string;
}) {
  const { deleteMessage } = useChatActions();
  const { composerRef } = useEditing();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  // On Cancel once the question is drawn: `autoFocus` alone lost the focus to the page as the toolbar's
  // Delete, which had it, went away, and Escape then reached nothing.
  useEffect(() => {
    if (confirming) requestAnimationFrame(() => cancelButton.current?.focus());
  }, [confirming]);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_NOTE_MS);
    return () => clearTimeout(timer);
  }, [copied]);
  // Back on the toolbar's Delete when the question is put away, once it is drawn again, so the keyboard
  // keeps its place.
  const cancel = () => {
    setConfirming(false);
    requestAnimationFrame(() => deleteButton.current?.focus());
  };

  const copyLink = async () => {
    const link = new URL(path, window.location.origin).href;
    setError(null);
    try {
      // Missing outside a secure context (plain http on a LAN address): the link is shown to copy by hand.
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setError(`Copy the link yourself: ${link}`);
    }
  };

  const remove = async () => {
    try {
      await deleteMessage(message.conversationId, message.seq);
      // The message is a tombstone now, without this toolbar: the composer takes the focus.
      composerRef.current?.focus();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "The message could not be deleted. Try again.");
      setConfirming(false);
    }
  };

  if (confirming) {
    return (
      <div
        className={styles.confirm}
        role="group"
        aria-label="Delete this message?"
        onKeyDown={(event) => {
          if (event.key !== "Escape") return;
          event.preventDefault();
          event.stopPropagation();
          cancel();
        }}
      >
        <span>Delete this message?</span>
        <button type="button" className={styles.danger} onClick={() => void remove()}>
          Delete
        </button>
        <button type="button" className={styles.secondary} onClick={cancel} ref={cancelButton}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <>
      <div className={styles.toolbar} role="toolbar" aria-label="Message actions">
        {canReact && (
          <button
            type="button"
            className={styles.tool}
            onClick={(event) => onReact(event.currentTarget)}
            onPointerEnter={preloadEmojiPicker}
            onFocus={preloadEmojiPicker}
            aria-label="Add reaction"
            title="Add reaction"
          >
            <ReactionIcon />
          </button>
        )}
        {onReply && (
          <button
            type="button"
            className={styles.tool}
            onClick={onReply}
            aria-label="Reply in thread"
            title="Reply in thread"
          >
            <ThreadIcon />
          </button>
        )}
        <button
          type="button"
          className={styles.tool}
          onClick={() => void copyLink()}
          aria-label="Copy link to message"
          title="Copy link"
        >
          <LinkIcon />
        </button>
        {canEdit && (
          <button type="button" className={styles.tool} onClick={onEdit} aria-label="Edit message" title="Edit">
            <PencilIcon />
          </button>
        )}
        {canDelete && (
          <button
            ref={deleteButton}
            type="button"
            className={styles.tool}
            onClick={() => setConfirming(true)}
            aria-label="Delete message"
            title="Delete"
          >
            <TrashIcon />
          </button>
        )}
      </div>
      {/* Always present, so that screen readers announce what appears in it. */}
      <span className={styles.copied} role="status">
        {copied ? "Link copied" : ""}
      </span>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </>
  );
}
