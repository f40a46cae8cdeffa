"use client";

import { useEffect, useSyncExternalStore } from "react";
import { shortcodeMap, type Shortcodes } from "@/lib/markdown/emoji";

// The shortcode table is its own chunk, fetched the first time a message could use it.
let shortcodes: Shortcodes | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function load(): void {
  loading ??= import("emojibase-data/en/shortcodes/github.json").then(
    (module) => {
      shortcodes = shortcodeMap(module.default);
      listeners.forEach((listener) => listener());
    },
    () => {
      loading = null;
    },
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Emoji shortcodes once loaded (null until then); `wanted` says whether this text has any. */
export function useShortcodes(wanted: boolean): Shortcodes | null {
  useEffect(() => {
    if (wanted) load();
  }, [wanted]);
  return useSyncExternalStore(
    subscribe,
    () => shortcodes,
    () => null,
  );
}
