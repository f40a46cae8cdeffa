"use client";

import { useEffect, useState } from "react";

type ShortcodeOf = (emoji: string) => string | null;

let loaded: ShortcodeOf | null = null;
let loading: Promise<ShortcodeOf> | null = null;

/** One load per tab, shared by every message's reactions; one that failed (offline) is tried again later. */
function load(): Promise<ShortcodeOf> {
  loading ??= import("@/lib/emoji/shortcodes")
    .then((m) => (loaded = m.shortcodeOf))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}

/**
 * shortcodeOf once the shortcode sets are loaded, null until then. They load, in a chunk of their own, only
 * when wanted: when a message shows reactions, not with the chat page.
 */
export function useShortcodes(wanted: boolean): ShortcodeOf | null {
  const [shortcodeOf, setShortcodeOf] = useState<ShortcodeOf | null>(() => loaded);
  useEffect(() => {
    if (!wanted || shortcodeOf) return;
    let live = true;
    // Without them a pill names its emoji by itself, which is fine until the next message asks again.
    load().then(
      (found) => {
        if (live) setShortcodeOf(() => found);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [wanted, shortcodeOf]);
  return shortcodeOf;
}
