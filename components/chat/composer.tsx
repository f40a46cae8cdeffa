"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { MAX_MESSAGE_LENGTH } from "@/lib/protocol";
import { lastOwnMessage } from "@/lib/client/message-rows";
import { useChatActions, useHistory, useMe } from "./chat-hooks";
import { useEditing } from "./editing-context";
import { useDrafts } from "./use-drafts";
import { growWithText } from "./grow-with-text";
import { useMentionAutocomplete } from "./use-mention-autocomplete";
import styles from "./chat.module.css";

/**
 * Wide enough for a keyboard of its own: on a phone, focusing the composer would pop up the
 * on-screen keyboard over the conversation just opened, so there it waits for a tap.
 */
const FOCUS_ON_OPEN = "(min-width: 641px)";

/**
 * Enter sends, Shift+Enter starts a new line. Mounted once per open conversation: it starts from the
 * conversation's draft and leaves what is typed there as the draft until it is sent.
 */
export function Composer({ conversationId, label }: { conversationId: string; label: string }) {
  const { send } = useChatActions();
  const drafts = useDrafts();
  // The chat's conversations load in the browser, so the composer is never rendered on the server,
  // where there is no storage and its draft would be missing.
  const [text, setText] = useState(() => drafts.get({ conversationId }));
  const [hintShown, setHintShown] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const me = useMe();
  const history = useHistory(conversationId);
  const { startEditing, composerRef } = useEditing();
  const ids = useId();
  const hintId = `${ids}-hint`;
  const errorId = `${ids}-error`;

  useEffect(() => {
    const textarea = box.current;
    if (textarea && window.matchMedia(FOCUS_ON_OPEN).matches) {
      // After the draft, as one carries on typing it.
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
      textarea.focus();
    }
    return () => drafts.flush();
  }, [drafts]);
  useEffect(() => growWithText(box.current), [text]);

  const edit = (next: string) => {
    setText(next);
    drafts.set({ conversationId }, next.trim() === "" ? "" : next);
  };
  const mentions = useMentionAutocomplete(conversationId, text, box, edit);
  const tooLong = mentions.encode(text).length > MAX_MESSAGE_LENGTH;
  const canSend = text.trim().length > 0 && !tooLong;

  const submit = () => {
    if (!canSend) return;
    send(conversationId, mentions.encode(text));
    setText("");
    mentions.reset();
    drafts.clear({ conversationId });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event)) return;
    // While an input method is composing, Enter confirms the composition rather than sending.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
      return;
    }
    // Up in an empty composer edits one's last message, as in Slack.
    const plainUp = event.key === "ArrowUp" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (plainUp && text === "" && !event.nativeEvent.isComposing) {
      const last = lastOwnMessage(history?.messages ?? [], me);
      if (!last) return;
      event.preventDefault();
      startEditing(last.seq);
    }
  };

  const describedBy = [hintShown ? hintId : null, tooLong ? errorId : null].filter(Boolean).join(" ");

  return (
    <form
      className={styles.composer}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={(element) => {
          box.current = element;
          composerRef.current = element;
        }}
        aria-label={label}
        placeholder={label}
        value={text}
        rows={1}
        {...mentions.comboboxProps}
        onChange={(e) => edit(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={describedBy || undefined}
      />
      {mentions.listbox}
      <button
        type="button"
        className={styles.formatButton}
        aria-label="Formatting help"
        aria-expanded={hintShown}
        aria-controls={hintId}
        onClick={() => {
          setHintShown(!hintShown);
          box.current?.focus();
        }}
      >
        Aa
      </button>
      <button type="submit" className={styles.sendButton} aria-label="Send message" disabled={!canSend}>
        ➤
      </button>
      <p id={hintId} className={styles.composerHint} hidden={!hintShown}>
        <span>
          <code>**bold**</code> <code>_italic_</code> <code>~~strike~~</code> <code>`code`</code>{" "}
          <code>```block```</code> <code>&gt; quote</code>
        </span>
        <span>
          <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </span>
      </p>
      {tooLong && (
        <p id={errorId} className={styles.error} role="alert">
          Messages are limited to {MAX_MESSAGE_LENGTH.toLocaleString()} characters ({text.length.toLocaleString()} now).
        </p>
      )}
    </form>
  );
}
