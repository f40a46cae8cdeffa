"use client";

import { createContext, useContext, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";

type Editing = {
  /** The sequence number of the message being edited in this conversation, if any. */
  editingSeq: number | null;
  /** Starts editing; `returnTo` (the message, when started from its toolbar) has the focus after. */
  startEditing: (seq: number, returnTo?: HTMLElement) => void;
  /** Ends the edit, giving the focus back where it started (by default the composer, with a keyboard of its own). */
  stopEditing: () => void;
  /** The composer's text box, set by the composer. */
  composerRef: RefObject<HTMLTextAreaElement | null>;
};

const EditingContext = createContext<Editing>({
  editingSeq: null,
  startEditing: () => {},
  stopEditing: () => {},
  composerRef: { current: null },
});

/** As in the composer: on a phone, focusing a text box pops up the on-screen keyboard. */
const KEYBOARD_OF_ITS_OWN = "(min-width: 641px)";

/**
 * Which message of the open conversation is being edited: one at a time, started from its toolbar or by
 * Up in an empty composer.
 */
export function EditingProvider({ children }: { children: ReactNode }) {
  const [editingSeq, setEditingSeq] = useState<number | null>(null);
  const composerRef = useRef<HTMLTextAreaElement | null>(null);
  const returnToRef = useRef<HTMLElement | null>(null);
  const value = useMemo(
    () => ({
      editingSeq,
      startEditing: (seq: number, returnTo?: HTMLElement) => {
        returnToRef.current = returnTo ?? null;
        setEditingSeq(seq);
      },
      stopEditing: () => {
        setEditingSeq(null);
        const returnTo = returnToRef.current;
        returnToRef.current = null;
        // Once the editor is gone and the message drawn again.
        requestAnimationFrame(() => {
          if (returnTo?.isConnected) returnTo.focus();
          else if (window.matchMedia(KEYBOARD_OF_ITS_OWN).matches) composerRef.current?.focus();
        });
      },
      composerRef,
    }),
    [editingSeq],
  );
  return <EditingContext.Provider value={value}>{children}</EditingContext.Provider>;
}

export const useEditing = (): Editing => useContext(EditingContext);
