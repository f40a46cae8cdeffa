"use client";

import { EmojiPicker as Picker, type EmojiPickerListComponents } from "frimousse";
import { type CSSProperties, useCallback, useEffect, useId, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { placePopover } from "@/lib/emoji/picker-position";
import { addRecent, parseRecent } from "@/lib/emoji/recent";
import styles from "./emoji-picker.module.css";

export type EmojiPickerProps = {
  /** The button that opened the picker: the popover sits against it, and Escape or a pick gives it the focus back. */
  anchor: HTMLElement;
  /** The emoji picked, with the chosen skin tone; the picker then closes (onClose follows). */
  onPick: (emoji: string) => void;
  /** Escape, a pick, a click or the focus outside: the caller unmounts the picker. */
  onClose: () => void;
};

/** Served by app/emojibase from the emojibase-data package, never from a CDN. */
const EMOJIBASE_URL = "/emojibase";
const RECENT_KEY = "parley.emoji.recent";
const SKIN_TONE_KEY = "parley.emoji.skinTone";
/** The popover's size on a wide screen, as in emoji-picker.module.css. */
const SIZE = { width: 344, height: 420 };

const SKIN_TONES = {
  none: { label: "Default skin tone", hand: "✋" },
  light: { label: "Light skin tone", hand: "✋🏻" },
  "medium-light": { label: "Medium-light skin tone", hand: "✋🏼" },
  medium: { label: "Medium skin tone", hand: "✋🏽" },
  "medium-dark": { label: "Medium-dark skin tone", hand: "✋🏾" },
  dark: { label: "Dark skin tone", hand: "✋🏿" },
} as const;
type SkinTone = keyof typeof SKIN_TONES;

// frimousse 0.4.0 numbers grid rows and cells from 0; ARIA counts from 1 (axe: aria-valid-attr-value).
const listComponents: Partial<EmojiPickerListComponents> = {
  CategoryHeader: ({ category, ...props }) => (
    <div {...props} className={styles.category}>
      {category.label}
    </div>
  ),
  Row: ({ children, ...props }) => (
    <div {...props} aria-rowindex={fromOne(props["aria-rowindex"])} className={styles.row}>
      {children}
    </div>
  ),
  Emoji: ({ emoji, ...props }) => (
    <button {...props} aria-colindex={fromOne(props["aria-colindex"])} className={styles.emoji}>
      {emoji.emoji}
    </button>
  ),
};

function fromOne(index: number | undefined): number | undefined {
  return index === undefined ? undefined : index + 1;
}

/**
 * The emoji picker (frimousse) in a popover against the button that opened it, or across the bottom of a
 * phone's screen. Search has the focus on open (with a mouse or keyboard); arrows move through the grid and
 * Enter picks. Recently used
 * emoji and the skin tone are kept in this browser's localStorage.
 */
export function EmojiPicker({ anchor, onPick, onClose }: EmojiPickerProps) {
  const popover = useRef<HTMLDialogElement>(null);
  const toneButton = useRef<HTMLButtonElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const recentId = useId();
  const [recent, setRecent] = useState(() => parseRecent(readStorage(RECENT_KEY)));
  const [skinTone, setSkinTone] = useState<SkinTone>(() => parseSkinTone(readStorage(SKIN_TONE_KEY)));
  const [choosingTone, setChoosingTone] = useState(false);
  const [position, setPosition] = useState(() => placeBeside(anchor));

  // The button moves with a scroll of the page or the message list, not with a scroll of the emoji grid.
  useEffect(() => {
    let frame = 0;
    const place = (event: Event) => {
      if (event.target instanceof Node && popover.current?.contains(event.target)) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() =>
        setPosition((current) => {
          const next = placeBeside(anchor);
          return next.top === current.top && next.left === current.left ? current : next;
        }),
      );
    };
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [anchor]);

  // Search has the focus on open, except on a touch screen, where focusing it would raise the keyboard over
  // the grid: the popover itself takes the focus there, so that a screen reader starts inside it.
  useEffect(() => {
    const touch = window.matchMedia("(pointer: coarse)").matches;
    (touch ? popover.current : search.current)?.focus();
  }, []);

  // A click or the focus elsewhere closes it (the button that opened it is its caller's to handle). The focus
  // is watched where it lands rather than where it leaves: tabbing out of the popover, at the end of the
  // body, first leaves the page.
  useEffect(() => {
    const closeOutside = (event: Event) => {
      const target = event.target;
      if (!(target instanceof Node) || popover.current?.contains(target) || anchor.contains(target)) return;
      onClose();
    };
    document.addEventListener("pointerdown", closeOutside, true);
    document.addEventListener("focusin", closeOutside, true);
    return () => {
      document.removeEventListener("pointerdown", closeOutside, true);
      document.removeEventListener("focusin", closeOutside, true);
    };
  }, [anchor, onClose]);

  const close = useCallback(() => {
    anchor.focus();
    onClose();
  }, [anchor, onClose]);

  const pick = (emoji: string) => {
    const next = addRecent(recent, emoji);
    setRecent(next);
    writeStorage(RECENT_KEY, JSON.stringify(next));
    onPick(emoji);
    close();
  };

  const chooseTone = (tone: SkinTone) => {
    setSkinTone(tone);
    writeStorage(SKIN_TONE_KEY, tone);
    setChoosingTone(false);
    toneButton.current?.focus();
  };

  const style = { "--picker-top": `${position.top}px`, "--picker-left": `${position.left}px` } as CSSProperties;

  return createPortal(
    // A non-modal <dialog>, open from the start: the chat's own Escape handlers leave "dialog[open]" alone.
    <dialog
      ref={popover}
      open
      tabIndex={-1}
      aria-labelledby={titleId}
      className={styles.popover}
      style={style}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        event.stopPropagation();
        if (choosingTone) chooseTone(skinTone);
        else close();
      }}
    >
      <Picker.Root
        className={styles.picker}
        columns={8}
        emojibaseUrl={EMOJIBASE_URL}
        skinTone={skinTone}
        onEmojiSelect={({ emoji }) => pick(emoji)}
      >
        <div className={styles.header}>
          <h2 id={titleId} className="visually-hidden">
            Pick an emoji
          </h2>
          <Picker.Search ref={search} className={styles.search} aria-label="Search emoji" placeholder="Search emoji" />
          <button
            ref={toneButton}
            type="button"
            className={styles.iconButton}
            aria-label={`Skin tone: ${SKIN_TONES[skinTone].label}`}
            title="Skin tone"
            aria-expanded={choosingTone}
            onClick={() => setChoosingTone((open) => !open)}
          >
            {SKIN_TONES[skinTone].hand}
          </button>
          <button type="button" className={`${styles.iconButton} ${styles.closeButton}`} onClick={close}>
            <span aria-hidden>×</span>
            <span className="visually-hidden">Close</span>
          </button>
        </div>
        {choosingTone && (
          <div className={styles.tones} role="group" aria-label="Skin tone">
            {(Object.keys(SKIN_TONES) as SkinTone[]).map((tone) => (
              <button
                key={tone}
                type="button"
                className={styles.emoji}
                aria-label={SKIN_TONES[tone].label}
                aria-pressed={tone === skinTone}
                autoFocus={tone === skinTone}
                onClick={() => chooseTone(tone)}
              >
                {SKIN_TONES[tone].hand}
              </button>
            ))}
          </div>
        )}
        {recent.length > 0 && (
          <div className={styles.recent} role="group" aria-labelledby={recentId}>
            <div id={recentId} className={styles.category}>
              Recently used
            </div>
            <div className={styles.recentList}>
              {recent.map((emoji) => (
                <button key={emoji} type="button" className={styles.emoji} onClick={() => pick(emoji)}>
                  {emoji}
                </button>
              ))}
            </div>
          </div>
        )}
        <Picker.Viewport className={styles.viewport}>
          <Picker.Loading className={styles.status}>Loading emoji…</Picker.Loading>
          <Picker.Empty className={styles.status}>No emoji found</Picker.Empty>
          <Picker.List className={styles.list} components={listComponents} />
        </Picker.Viewport>
        <Picker.ActiveEmoji>
          {({ emoji }) => (
            <div className={styles.footer} aria-hidden>
              {emoji ? (
                <>
                  <span className={styles.footerEmoji}>{emoji.emoji}</span>
                  <span className={styles.footerLabel}>{emoji.label}</span>
                </>
              ) : (
                <span className={styles.footerLabel}>Arrows to move, Enter to pick</span>
              )}
            </div>
          )}
        </Picker.ActiveEmoji>
      </Picker.Root>
    </dialog>,
    document.body,
  );
}

function placeBeside(anchor: HTMLElement): { top: number; left: number } {
  return placePopover(anchor.getBoundingClientRect(), SIZE, { width: window.innerWidth, height: window.innerHeight });
}

function parseSkinTone(stored: string | null): SkinTone {
  return stored && Object.hasOwn(SKIN_TONES, stored) ? (stored as SkinTone) : "none";
}

/** Storage can be missing or refuse (private windows, a full quota): the picker then simply forgets. */
function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Forgotten next time; nothing else depends on it.
  }
}
