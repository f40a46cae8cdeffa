"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { signOut } from "next-auth/react";
import { useRef } from "react";
import { BrowseChannelsDialog } from "./browse-channels-dialog";
import { useChannelLinks, useMe, useWorkspaceName } from "./chat-hooks";
import { ConnectionStatus } from "./connection-status";
import { CreateChannelDialog } from "./create-channel-dialog";
import styles from "./chat.module.css";

export function Sidebar({ onNavigate }: { onNavigate: () => void }) {
  const user = useMe();
  const workspaceName = useWorkspaceName();
  const params = useParams<{ id?: string }>();
  const browseRef = useRef<HTMLDialogElement>(null);
  const createRef = useRef<HTMLDialogElement>(null);
  const channels = useChannelLinks();

  return (
    <nav className={styles.sidebar} aria-label="Channels">
      <header className={styles.workspace}>
        <h2 className={styles.workspaceName}>{workspaceName}</h2>
        <ConnectionStatus />
      </header>
      <div className={styles.sectionHeader}>
        <h3>Channels</h3>
        <button
          type="button"
          className={styles.iconButton}
          aria-label="Create channel"
          onClick={() => createRef.current?.showModal()}
        >
          +
        </button>
      </div>
      <ul className={styles.channelList}>
        {channels.map((c) => (
          <li key={c.id}>
            <Link
              href={`/c/${c.id}`}
              className={styles.channelLink}
              aria-current={params.id === c.id ? "page" : undefined}
              onClick={onNavigate}
            >
              <span aria-hidden>#</span> {c.name}
            </Link>
          </li>
        ))}
      </ul>
      <button type="button" className={styles.textButton} onClick={() => browseRef.current?.showModal()}>
        Browse channels
      </button>
      <footer className={styles.me}>
        <span className={styles.avatar} aria-hidden>
          {initials(user.name)}
        </span>
        <span className={styles.meName}>{user.name}</span>
        <button type="button" className={styles.textButton} onClick={() => void signOut({ callbackUrl: "/signin" })}>
          Sign out
        </button>
      </footer>
      <BrowseChannelsDialog dialogRef={browseRef} onNavigate={onNavigate} />
      <CreateChannelDialog dialogRef={createRef} onNavigate={onNavigate} />
    </nav>
  );
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
}
