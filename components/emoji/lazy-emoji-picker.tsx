"use client";

import { useEffect, useState, type ComponentType } from "react";
import type { EmojiPickerProps } from "./emoji-picker";
import styles from "./lazy-emoji-picker.module.css";

type Picker = ComponentType<EmojiPickerProps>;

let loaded: Picker | null = null;
let loading: Promise<Picker> | null = null;

/** One load per tab; one that failed (offline, or a file gone after an upgrade) is tried again next time. */
function load(): Promise<Picker> {
  loading ??= import("./emoji-picker")
    .then((m) => (loaded = m.EmojiPicker))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}

/**
 * The emoji picker, loaded when first shown so that neither frimousse nor its styles weigh on the chat
 * page's first load. When its code cannot be had, it says so in place and the chat stays as it is.
 */
export function LazyEmojiPicker(props: EmojiPickerProps) {
  const [Loaded, setLoaded] = useState<Picker | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Loaded) return;
    let live = true;
    load().then(
      (picker) => live && setLoaded(() => picker),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [Loaded]);
  if (Loaded) return <Loaded {...props} />;
  if (!failed) return null;
  return (
    <p className={styles.unavailable} role="alert">
      The emoji picker could not load. Check your connection and try again.{" "}
      <button type="button" onClick={props.onClose}>
        Close
      </button>
    </p>
  );
}

/** Starts loading the picker (on a hover or focus of a button that opens it) so that it opens at once. */
export function preloadEmojiPicker(): void {
  load().catch(() => {});
}
