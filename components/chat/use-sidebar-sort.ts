"use client";

import { useSyncExternalStore } from "react";
import type { SidebarSort } from "@/lib/client/sidebar-sections";

const KEY = "parley.sidebarSort";
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab's choice applies here too.
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

const read = (): SidebarSort => (localStorage.getItem(KEY) === "recent" ? "recent" : "name");

/** How the sidebar sorts its conversations, remembered in localStorage; by name until chosen. */
export function useSidebarSort(): [SidebarSort, (sort: SidebarSort) => void] {
  const sort = useSyncExternalStore(subscribe, read, () => "name" as const);
  const setSort = (next: SidebarSort) => {
    localStorage.setItem(KEY, next);
    for (const listener of listeners) listener();
  };
  return [sort, setSort];
}
