"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type RefObject } from "react";
import type { ChannelListing } from "@/lib/protocol";
import { useChatActions } from "./chat-hooks";
import styles from "./chat.module.css";

export function BrowseChannelsDialog({
  dialogRef,
  onNavigate,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  onNavigate: () => void;
}) {
  const { listChannels, joinChannel } = useChatActions();
  const router = useRouter();
  const [channels, setChannels] = useState<ChannelListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [archived, setArchived] = useState(false);

  const load = useCallback(
    (showArchived: boolean) => {
      setError(null);
      setChannels(null);
      listChannels({ archived: showArchived }).then(setChannels, (e: Error) => setError(e.message));
    },
    [listChannels],
  );

  // Loads the list each time the dialog opens. A native listener, because React does not
  // attach onToggle to a <dialog> it hydrates from server-rendered HTML (react-dom 19.3).
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const onToggle = (event: Event) => {
      if ((event as ToggleEvent).newState !== "open") return;
      setArchived(false);
      load(false);
    };
    dialog.addEventListener("toggle", onToggle);
    return () => dialog.removeEventListener("toggle", onToggle);
  }, [dialogRef, load]);

  const open = async (channel: ChannelListing) => {
    try {
      if (!channel.isMember) await joinChannel(channel.id);
      dialogRef.current?.close();
      onNavigate();
      router.push(`/c/${channel.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <dialog ref={dialogRef} className={styles.dialog} aria-labelledby="browse-title">
      <h2 id="browse-title">Browse channels</h2>
      <label className={`${styles.checkbox} ${styles.browseFilter}`}>
        <input
          type="checkbox"
          checked={archived}
          onChange={(event) => {
            setArchived(event.target.checked);
            load(event.target.checked);
          }}
        />
        Archived channels you are in
      </label>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {channels === null ? (
        <p>Loading…</p>
      ) : channels.length === 0 ? (
        <p className={styles.muted}>{archived ? "You are in no archived channels." : "No channels yet."}</p>
      ) : (
        <ul className={styles.directory}>
          {channels.map((c) => (
            <li key={c.id}>
              <div>
                <strong>
                  {c.isPrivate ? "🔒" : "#"} {c.name}
                </strong>
                {c.archived && <span className={styles.muted}> · archived</span>}
                <span className={styles.muted}>
                  {" "}
                  · {c.memberCount} {c.memberCount === 1 ? "member" : "members"}
                </span>
                {c.topic && <p className={styles.muted}>{c.topic}</p>}
              </div>
              <button type="button" className={styles.primaryButton} onClick={() => void open(c)}>
                {c.isMember ? "Open" : `Join #${c.name}`}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form method="dialog">
        <button type="submit" className={styles.textButton}>
          Close
        </button>
      </form>
    </dialog>
  );
}
