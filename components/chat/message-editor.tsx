"use client";

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { MAX_MESSAGE_LENGTH, type Message } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { decodeMentions } from "@/lib/client/mention-autocomplete";
import { mentionsOf } from "@/lib/markdown/mentions";
import { useChatActions, useMentionNames } from "./chat-hooks";
import { growWithText } from "./grow-with-text";
import { useMentionAutocomplete } from "./use-mention-autocomplete";
import styles from "./message-actions.module.css";

/**
 * Edits a message in place: Enter saves, Shift+Enter starts a new line, Escape cancels. Mentions show
 * as the composer shows them ("@Name"), and "@" offers people as it does: for a reply, its parent's
 * members first, and never @channel or @here.
 */
export function MessageEditor({
  message,
  inThread,
  onDone,
}: {
  message: Message;
  inThread?: { parentId: string };
  onDone: () => void;
}) {
  const { editMessage } = useChatActions();
  const mentioned = useMemo(() => mentionsOf(message.text).userIds, [message.text]);
  const names = useMentionNames(mentioned, []);
  // Shown as stored, with names filled in as they arrive, until the first keystroke.
  const stored = useMemo(() => decodeMentions(message.text, (id) => names.users[id]), [message.text, names]);
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? stored.text;
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => growWithText(box.current), [text]);
  const mentions = useMentionAutocomplete(inThread?.parentId ?? message.conversationId, text, box, setTyped, {
    inThread: inThread !== undefined,
  });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  const save = async () => {
    if (saving) return;
    if (text.trim() === "") return setError("A message cannot be empty: delete it instead.");
    const encoded = mentions.encode(text, stored.chosen);
    if (encoded.length > MAX_MESSAGE_LENGTH) {
      return setError(`Messages are limited to ${MAX_MESSAGE_LENGTH.toLocaleString()} characters.`);
    }
    if (encoded === message.text) return onDone();
    setSaving(true);
    try {
      await editMessage(message.conversationId, message.seq, encoded);
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "The message could not be saved. Try again.");
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event)) return;
    if (event.key === "Escape") {
      event.preventDefault();
      onDone();
    } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  };

  const errorId = `edit-error-${message.seq}`;
  return (
    <form
      className={styles.editor}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        ref={box}
        aria-label="Edit message"
        value={text}
        {...mentions.comboboxProps}
        onChange={(event) => setTyped(event.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {mentions.listbox}
      <div className={styles.editorButtons}>
        <span className={styles.hint}>Enter to save, Escape to cancel</span>
        <button type="button" className={styles.secondary} onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className={styles.primary} disabled={saving}>
          Save
        </button>
      </div>
      {error && (
        <p id={errorId} className={styles.error} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
