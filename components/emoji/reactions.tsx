"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ReactionIcon } from "@/components/chat/icons";
import { type Reaction, whoReacted } from "@/lib/emoji/who-reacted";
import { preloadEmojiPicker } from "./lazy-emoji-picker";
import styles from "./reactions.module.css";
import { useShortcodes } from "./use-shortcodes";

export type ReactionsProps = {
  reactions: Reaction[];
  /** The reader's user id: their own reactions show pressed. */
  me: string;
  nameOf: (userId: string) => string;
  onToggle: (emoji: string) => void;
  /** Opens the picker; the button is what it anchors to and gives the focus back to. */
  onAdd: (button: HTMLButtonElement) => void;
};

/** How long a finger stays on a pill to show who reacted instead of toggling. */
const LONG_PRESS_MS = 500;
const TIP_MS = 4000;

/**
 * The reaction pills under a message, and a button to add one. Each pill toggles the reader's reaction;
 * a hover (title) or a long press shows who reacted, and a screen reader hears it as the pill's description
 * (its name is what it shows, emoji and count). Nothing shows for a message without reactions: its
 * hover toolbar adds the first.
 */
export function Reactions({ reactions, me, nameOf, onToggle, onAdd }: ReactionsProps) {
  const shortcodeOf = useShortcodes(reactions.length > 0);
  const idPrefix = useId();
  const [tipFor, setTipFor] = useState<string | null>(null);
  const press = useRef<{ emoji: string; timer: number; shown: boolean } | null>(null);

  useEffect(() => {
    if (tipFor === null) return;
    const hide = () => setTipFor(null);
    const timer = window.setTimeout(hide, TIP_MS);
    document.addEventListener("pointerdown", hide, true);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener("pointerdown", hide, true);
    };
  }, [tipFor]);

  useEffect(() => () => window.clearTimeout(press.current?.timer), []);

  if (reactions.length === 0) return null;

  const endPress = () => {
    if (press.current) window.clearTimeout(press.current.timer);
  };

  return (
    <div className={styles.reactions} role="group" aria-label="Reactions">
      {reactions.map((reaction, index) => {
        const { emoji, count } = reaction;
        // The title shows the shortcode, as Slack does; a screen reader says the emoji's own name.
        const title = whoReacted(reaction, me, nameOf, shortcodeOf?.(emoji) ?? emoji);
        const descriptionId = `${idPrefix}-${index}`;
        return (
          <span key={emoji} className={styles.pillWrap}>
            <button
              type="button"
              className={styles.pill}
              aria-pressed={reaction.userIds.includes(me)}
              aria-describedby={descriptionId}
              title={title}
              onClick={() => {
                // The click that ends a long press only closes the finger's question.
                if (press.current?.shown) {
                  press.current = null;
                  return;
                }
                onToggle(emoji);
              }}
              onPointerDown={(event) => {
                endPress();
                press.current = null;
                if (event.pointerType !== "touch") return;
                const timer = window.setTimeout(() => {
                  if (press.current) press.current.shown = true;
                  setTipFor(emoji);
                }, LONG_PRESS_MS);
                press.current = { emoji, timer, shown: false };
              }}
              onPointerUp={endPress}
              onPointerCancel={endPress}
              onContextMenu={(event) => {
                // A long press on a phone opens the browser's menu; the who-reacted tip takes its place.
                if (press.current?.emoji === emoji) event.preventDefault();
              }}
            >
              <span className={styles.emoji}>{emoji}</span> <span className={styles.count}>{count}</span>
            </button>
            <span id={descriptionId} hidden>
              {whoReacted(reaction, me, nameOf, emoji)}
            </span>
            {/* Shown on a long press, and on keyboard focus, which a title does not show on. */}
            <span className={styles.tip} data-shown={tipFor === emoji || undefined} aria-hidden>
              {title}
            </span>
          </span>
        );
      })}
      <button
        type="button"
        className={`${styles.pill} ${styles.add}`}
        aria-label="Add reaction"
        title="Add reaction"
        onClick={(event) => onAdd(event.currentTarget)}
        onPointerEnter={preloadEmojiPicker}
        onFocus={preloadEmojiPicker}
      >
        <ReactionIcon size={18} />
      </button>
    </div>
  );
}
