"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Sidebar } from "./sidebar";
import { useConnection, useUnreadTitle } from "./chat-hooks";
import styles from "./chat.module.css";

/** Sidebar beside the open conversation; on a phone the sidebar is a drawer. */
export function ChatShell({ children }: { children: React.ReactNode }) {
  const connection = useConnection();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const title = useUnreadTitle();
  const pathname = usePathname();

  // Again after each navigation, which may set the page's own title.
  useEffect(() => {
    document.title = title;
  }, [title, pathname]);

  // Escape closes the drawer like any other overlay, and focus goes back to the button that opened it.
  useEffect(() => {
    if (!drawerOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // An open dialog takes its own Escape first.
      if (event.key !== "Escape" || document.querySelector("dialog[open]")) return;
      setDrawerOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [drawerOpen]);

  return (
    <div className={styles.shell} data-connection={connection} data-drawer={drawerOpen ? "open" : "closed"}>
      <Sidebar onNavigate={() => setDrawerOpen(false)} />
      <div className={styles.main}>
        <button
          ref={menuButton}
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
