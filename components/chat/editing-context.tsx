"use client";

import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

type Editing = {
  /** The sequence number of the message being edited in this conversation, if any. */
  editingSeq: number | null;
  startEditing: (seq: number) => void;
  stopEditing: () => void;
};

const EditingContext = createContext<Editing>({ editingSeq: null, startEditing: () => {}, stopEditing: () => {} });

/**
 * Which message of the open conversation is being edited: one at a time, started from its toolbar or by
 * Up in an empty composer.
 */
export function EditingProvider({ children }: { children: ReactNode }) {
  const [editingSeq, setEditingSeq] = useState<number | null>(null);
  const value = useMemo(
    () => ({ editingSeq, startEditing: setEditingSeq, stopEditing: () => setEditingSeq(null) }),
    [editingSeq],
  );
  return <EditingContext.Provider value={value}>{children}</EditingContext.Provider>;
}

export const useEditing = (): Editing => useContext(EditingContext);
