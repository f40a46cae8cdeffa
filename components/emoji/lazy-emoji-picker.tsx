"use client";

import dynamic from "next/dynamic";

const load = () => import("./emoji-picker");

/**
 * The emoji picker, loaded when first shown so that neither frimousse nor its styles weigh on the chat
 * page's first load. Props as EmojiPicker's.
 */
export const LazyEmojiPicker = dynamic(() => load().then((m) => m.EmojiPicker), { ssr: false });

/** Starts loading the picker (on a hover or focus of a button that opens it) so that it opens at once. */
export function preloadEmojiPicker(): void {
  void load();
}
