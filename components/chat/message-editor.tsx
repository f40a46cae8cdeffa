"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { MAX_MESSAGE_LENGTH, type Message } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { useChatActions } from "./chat-hooks";
import styles from "./message-actions.module.css";

/** Edits a message in place: Enter saves, Shift+Enter starts a new line, Escape cancels. */
export function MessageEditor({ message, onDone }: { message: Message; onDone: () => void }) {
  const { editMessage } = useChatActions();
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  const save = async () => {
    if (saving) return;
    if (text.trim() === "") return setError("A message cannot be empty: delete it instead.");
    if (text.length > MAX_MESSAGE_LENGTH) {
      return setError(`Messages are limited to ${MAX_MESSAGE_LENGTH.toLocaleString()} characters.`);
    }
    if (text === message.text) return onDone();
    setSaving(true);
    try {
      await editMessage(message.conversationId, message.seq, text);
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "The message could not be saved. Try again.");
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
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
        rows={Math.min(8, text.split("\n").length)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
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
