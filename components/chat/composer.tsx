"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { MAX_MESSAGE_LENGTH } from "@/lib/protocol";
import { useChatActions } from "./chat-hooks";
import styles from "./chat.module.css";

/**
 * Wide enough for a keyboard of its own: on a phone, focusing the composer would pop up the
 * on-screen keyboard over the conversation just opened, so there it waits for a tap.
 */
const FOCUS_ON_OPEN = "(min-width: 641px)";

/** Enter sends, Shift+Enter starts a new line. Mounted once per open conversation. */
export function Composer({ conversationId, label }: { conversationId: string; label: string }) {
  const { send } = useChatActions();
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (window.matchMedia(FOCUS_ON_OPEN).matches) box.current?.focus();
  }, []);
  const tooLong = text.length > MAX_MESSAGE_LENGTH;
  const canSend = text.trim().length > 0 && !tooLong;

  const submit = () => {
    if (!canSend) return;
    send(conversationId, text);
    setText("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method is composing, Enter confirms the composition rather than sending.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className={styles.composer}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={box}
        aria-label={label}
        placeholder={label}
        value={text}
        rows={1}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={tooLong ? "composer-error" : undefined}
      />
      <button type="submit" className={styles.sendButton} aria-label="Send message" disabled={!canSend}>
        ➤
      </button>
      {tooLong && (
        <p id="composer-error" className={styles.error} role="alert">
          Messages are limited to {MAX_MESSAGE_LENGTH.toLocaleString()} characters ({text.length.toLocaleString()} now).
        </p>
      )}
    </form>
  );
}
