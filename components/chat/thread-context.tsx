"use client";

import { createContext, useContext } from "react";

/**
 * Opens the thread under a message of the conversation shown. Null inside a thread panel: replies have no
 * threads of their own, so they offer neither a summary nor "Reply in thread".
 */
export const ThreadOpener = createContext<((rootSeq: number) => void) | null>(null);

export const useThreadOpener = () => useContext(ThreadOpener);
