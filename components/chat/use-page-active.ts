"use client";

import { useSyncExternalStore } from "react";

function subscribe(listener: () => void): () => void {
  document.addEventListener("visibilitychange", listener);
  window.addEventListener("focus", listener);
  window.addEventListener("blur", listener);
  return () => {
    document.removeEventListener("visibilitychange", listener);
    window.removeEventListener("focus", listener);
    window.removeEventListener("blur", listener);
  };
}

const isActive = () => document.visibilityState === "visible" && document.hasFocus();

/** The tab is shown and has the focus: what is on screen is being read. */
export function usePageActive(): boolean {
  return useSyncExternalStore(subscribe, isActive, () => false);
}
