"use client";

import { useCallback, useSyncExternalStore } from "react";
import { DraftStore } from "@/lib/client/drafts";
import type { KeyValueStorage } from "@/lib/client/engine/outbox-storage";
import { useMe } from "./chat-hooks";

/** One store per person for the whole page, shared by the composers and the sidebar. */
const stores = new Map<string, DraftStore>();
const noDrafts: ReadonlySet<string> = new Set();

/** This person's drafts. While rendering on the server there are none, and nothing is kept. */
export function useDrafts(): DraftStore {
  const { id } = useMe();
  if (typeof window === "undefined") return new DraftStore(memoryStorage(), id, serverTimers);
  let store = stores.get(id);
  if (!store) {
    store = browserDraftStore(id);
    stores.set(id, store);
  }
  return store;
}

/** The conversations with a draft, re-rendering only when that set changes. */
export function useDraftedConversations(): ReadonlySet<string> {
  const drafts = useDrafts();
  const subscribe = useCallback((listener: () => void) => drafts.subscribe(listener), [drafts]);
  return useSyncExternalStore(
    subscribe,
    () => drafts.draftedConversations(),
    () => noDrafts,
  );
}

/** Lives as long as the page: it hears other tabs' drafts, and writes its own out when the page goes. */
function browserDraftStore(userId: string): DraftStore {
  const store = new DraftStore(browserStorage(), userId, {
    setTimeout: (run, ms) => window.setTimeout(run, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
  });
  window.addEventListener("storage", (event) => store.storageChanged(event.key));
  // pagehide rather than beforeunload: it also fires when a phone's browser puts the page away.
  window.addEventListener("pagehide", () => store.flush());
  return store;
}

const serverTimers = { setTimeout: () => null, clearTimeout: () => {} };

/** localStorage, or memory where the browser refuses it (storage disabled): drafts then last as long as the page. */
function browserStorage(): KeyValueStorage {
  try {
    return window.localStorage;
  } catch {
    return memoryStorage();
  }
}

function memoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}
