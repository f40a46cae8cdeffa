"use client";

import { useState } from "react";
import { Sidebar } from "./sidebar";
import { useChat } from "./chat-provider";
import styles from "./chat.module.css";

/** Sidebar beside the open conversation; on a phone the sidebar is a drawer. */
export function ChatShell({ children }: { children: React.ReactNode }) {
  const { state } = useChat();
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <div className={styles.shell} data-connection={state.connection} data-drawer={drawerOpen ? "open" : "closed"}>
      <Sidebar onNavigate={() => setDrawerOpen(false)} />
      <div className={styles.main}>
        <button
          type="button"
          className={styles.menuButton}
          aria-label="Open channel list"
          aria-expanded={drawerOpen}
          onClick={() => setDrawerOpen(true)}
        >
          ☰
        </button>
        {children}
      </div>
      {drawerOpen && <div className={styles.scrim} onClick={() => setDrawerOpen(false)} aria-hidden />}
    </div>
  );
}
