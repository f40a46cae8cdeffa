"use client";

import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useId, useRef } from "react";
import type { SidebarEntry } from "@/lib/client/sidebar-sections";
import { BrowseChannelsDialog } from "./browse-channels-dialog";
import {
  useMe,
  useSidebarSections,
  useUnreadThreadCount,
  useUnreadThreadMentions,
  useWorkspaceName,
} from "./chat-hooks";
import { ConnectionStatus } from "./connection-status";
import { CreateChannelDialog } from "./create-channel-dialog";
import { ComposeIcon, LockIcon, PencilIcon, PlusIcon, ThreadIcon } from "./icons";
import { NewMessageDialog } from "./new-message-dialog";
import { useDraftedConversations, useDrafts } from "./use-drafts";
import { useSidebarSort } from "./use-sidebar-sort";
import styles from "./chat.module.css";

export function Sidebar({ onNavigate }: { onNavigate: () => void }) {
  const user = useMe();
  const drafts = useDrafts();
  const workspaceName = useWorkspaceName();
  const params = useParams<{ id?: string }>();
  const pathname = usePathname();
  const browseRef = useRef<HTMLDialogElement>(null);
  const createRef = useRef<HTMLDialogElement>(null);
  const pickerRef = useRef<HTMLDialogElement>(null);
  const [sort, setSort] = useSidebarSort();
  const { channels, directs } = useSidebarSections(params.id, sort, useDraftedConversations());
  const openPicker = () => pickerRef.current?.showModal();
  // The Mentions view lists replies too: their unread mentions count here, not in any conversation's badge.
  const threadMentions = useUnreadThreadMentions();
  const mentionCount = [...channels, ...directs].reduce((sum, entry) => sum + entry.mentions, threadMentions);

  return (
    <nav className={styles.sidebar} aria-label="Channels">
      <header className={styles.workspace}>
        <div className={styles.workspaceRow}>
          <h2 className={styles.workspaceName}>{workspaceName}</h2>
          <button type="button" className={styles.iconButton} aria-label="Compose message" onClick={openPicker}>
            <ComposeIcon />
          </button>
        </div>
        <ConnectionStatus />
      </header>
      <div className={styles.sidebarScroll}>
        <ul className={`${styles.channelList} ${styles.viewList}`} aria-label="Views">
          <li>
            <ThreadsLink current={pathname === "/c/threads"} onNavigate={onNavigate} />
          </li>
          <li>
            <ViewLink
              href="/c/mentions"
              icon="@"
              label="Mentions"
              current={pathname === "/c/mentions"}
              onNavigate={onNavigate}
              count={mentionCount}
              counted={mentionCount === 1 ? "unread mention" : "unread mentions"}
            />
          </li>
        </ul>
        <label className={styles.sortControl}>
          Sort
          <select value={sort} onChange={(e) => setSort(e.target.value === "recent" ? "recent" : "name")}>
            <option value="name">By name</option>
            <option value="recent">By recent activity</option>
          </select>
        </label>
        <section aria-labelledby="channels-heading">
          <div className={styles.sectionHeader}>
            <h3 id="channels-heading">Channels</h3>
            <button
              type="button"
              className={styles.iconButton}
              aria-label="Create channel"
              onClick={() => createRef.current?.showModal()}
            >
              <PlusIcon />
            </button>
          </div>
          <ul className={styles.channelList}>
            {channels.map((entry) => (
              <SidebarLink key={entry.id} entry={entry} current={params.id === entry.id} onNavigate={onNavigate} />
            ))}
          </ul>
          <button type="button" className={styles.textButton} onClick={() => browseRef.current?.showModal()}>
            Browse channels
          </button>
        </section>
        <section aria-labelledby="directs-heading">
          <div className={styles.sectionHeader}>
            <h3 id="directs-heading">Direct messages</h3>
            <button type="button" className={styles.iconButton} aria-label="New message" onClick={openPicker}>
              <PlusIcon />
            </button>
          </div>
          {directs.length === 0 ? (
            <p className={styles.sidebarEmpty}>Talk to one person or a few: start a direct message.</p>
          ) : (
            <ul className={styles.channelList}>
              {directs.map((entry) => (
                <SidebarLink key={entry.id} entry={entry} current={params.id === entry.id} onNavigate={onNavigate} />
              ))}
            </ul>
          )}
        </section>
      </div>
      <footer className={styles.me}>
        <span className={styles.avatar} aria-hidden>
          {initials(user.name)}
        </span>
        <span className={styles.meName}>{user.name}</span>
        <button
          type="button"
          className={styles.textButton}
          onClick={() => {
            drafts.forgetAll();
            void signOut({ callbackUrl: "/signin" });
          }}
        >
          Sign out
        </button>
      </footer>
      <BrowseChannelsDialog dialogRef={browseRef} onNavigate={onNavigate} />
      <CreateChannelDialog dialogRef={createRef} onNavigate={onNavigate} />
      <NewMessageDialog dialogRef={pickerRef} onNavigate={onNavigate} />
    </nav>
  );
}

/**
 * One conversation. Its accessible name is exactly its label; privacy, unread state and a draft are its
 * description, so that "Ann Archer" is found by name whatever its badge says.
 */
function SidebarLink({
  entry,
  current,
  onNavigate,
}: {
  entry: SidebarEntry;
  current: boolean;
  onNavigate: () => void;
}) {
  const descriptionId = `sidebar-${entry.id}-state`;
  const description = [
    entry.isPrivate ? "Private channel" : null,
    entry.mentions > 0 ? `${entry.mentions} ${entry.mentions === 1 ? "mention" : "mentions"}` : null,
    entry.kind !== "channel" && entry.badge > 0
      ? `${entry.badge} unread ${entry.badge === 1 ? "message" : "messages"}`
      : entry.unread
        ? "Unread"
        : null,
    entry.draft ? "Draft" : null,
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <li>
      <Link
        href={`/c/${entry.id}`}
        className={styles.channelLink}
        aria-current={current ? "page" : undefined}
        aria-describedby={description ? descriptionId : undefined}
        data-unread={entry.unread || undefined}
        onClick={onNavigate}
      >
        <span className={styles.linkIcon} aria-hidden>
          {entry.kind !== "channel" ? (
            <span className={styles.miniAvatar}>{initials(entry.label)}</span>
          ) : entry.isPrivate ? (
            <LockIcon size={14} />
          ) : (
            "#"
          )}
        </span>
        <span className={styles.linkLabel}>{entry.label}</span>
        {entry.draft && (
          <span className={styles.draftMark} title="Draft" aria-hidden>
            <PencilIcon size={14} />
          </span>
        )}
        {entry.badge > 0 && (
          <span className={styles.badge} aria-hidden>
            {entry.badge}
          </span>
        )}
        {description && (
          <span id={descriptionId} hidden>
            {description}
          </span>
        )}
      </Link>
    </li>
  );
}

/** The Threads view, above the channels, with how many followed threads have unread replies. */
function ThreadsLink({ current, onNavigate }: { current: boolean; onNavigate: () => void }) {
  const unread = useUnreadThreadCount();
  return (
    <ViewLink
      href="/c/threads"
      icon={<ThreadIcon size={14} />}
      label="Threads"
      current={current}
      onNavigate={onNavigate}
      count={unread}
      counted={unread === 1 ? "thread with unread replies" : "threads with unread replies"}
    />
  );
}

/** A view above the conversations (Threads, Mentions), bold with a badge while it counts something new. */
function ViewLink({
  href,
  icon,
  label,
  current,
  onNavigate,
  count,
  counted,
}: {
  href: string;
  icon: React.ReactNode;
  label: string;
  current: boolean;
  onNavigate: () => void;
  count: number;
  /** What the count counts, read after the number: "unread mentions". */
  counted: string;
}) {
  const stateId = useId();
  return (
    <Link
      href={href}
      className={styles.channelLink}
      aria-current={current ? "page" : undefined}
      aria-describedby={count > 0 ? stateId : undefined}
      data-unread={count > 0 || undefined}
      onClick={onNavigate}
    >
      <span className={styles.linkIcon} aria-hidden>
        {icon}
      </span>
      <span className={styles.linkLabel}>{label}</span>
      {count > 0 && (
        <>
          <span className={styles.badge} aria-hidden>
            {count}
          </span>
          <span id={stateId} hidden>
            {count} {counted}
          </span>
        </>
      )}
    </Link>
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
