"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent, type RefObject } from "react";
import { normalizeChannelName } from "@/lib/protocol";
import { useChatActions } from "./chat-hooks";
import styles from "./chat.module.css";

export function CreateChannelDialog({
  dialogRef,
  onNavigate,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  onNavigate: () => void;
}) {
  const { createChannel } = useChatActions();
  const router = useRouter();
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [isPrivate, setIsPrivate] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const conversation = await createChannel(name, topic, isPrivate);
      setName("");
      setTopic("");
      setIsPrivate(false);
      dialogRef.current?.close();
      onNavigate();
      router.push(`/c/${conversation.id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialogRef} className={styles.dialog} aria-labelledby="create-title">
      <form onSubmit={(e) => void submit(e)} className={styles.form}>
        <h2 id="create-title">Create a channel</h2>
        <label>
          Name
          <span className={styles.prefixed}>
            <span aria-hidden>#</span>
            <input
              name="name"
              value={name}
              onChange={(e) => setName(normalizeChannelName(e.target.value))}
              placeholder="e.g. plan-budget"
              required
              maxLength={80}
              autoComplete="off"
            />
          </span>
        </label>
        <p className={styles.muted}>Lowercase letters, numbers, hyphens and underscores.</p>
        <label>
          Topic <span className={styles.muted}>(optional)</span>
          <input name="topic" value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={250} />
        </label>
        <label className={styles.checkbox}>
          <input
            type="checkbox"
            name="private"
            checked={isPrivate}
            onChange={(e) => setIsPrivate(e.target.checked)}
            aria-describedby="create-private-hint"
          />
          Make private
        </label>
        <p id="create-private-hint" className={styles.muted}>
          Only people you add can see a private channel and its history.
        </p>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <div className={styles.dialogActions}>
          <button type="button" className={styles.textButton} onClick={() => dialogRef.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={styles.primaryButton} disabled={busy || name === ""}>
            Create
          </button>
        </div>
      </form>
    </dialog>
  );
}
