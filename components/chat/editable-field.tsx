"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { normalizeChannelName } from "@/lib/protocol";
import styles from "./chat.module.css";

/** A detail shown as text, with Edit for those who may: an inline field with Save and Cancel. */
export function EditableField({
  label,
  value,
  placeholder,
  canEdit,
  multiline = false,
  channelName = false,
  maxLength = 80,
  onSave,
}: {
  label: string;
  value: string;
  placeholder?: string;
  canEdit: boolean;
  multiline?: boolean;
  /** Typed as a channel name: lowercase, hyphens for spaces. */
  channelName?: boolean;
  maxLength?: number;
  onSave: (value: string) => Promise<void>;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!canEdit && value === "") return null;

  const save = async () => {
    if (draft === null) return;
    setBusy(true);
    setError(null);
    try {
      await onSave(draft);
      setDraft(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setDraft(null);
    setError(null);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      // Cancels the edit without closing the panel around it.
      event.preventDefault();
      cancel();
    } else if (event.key === "Enter" && (!multiline || event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void save();
    }
  };

  if (draft !== null) {
    const field = {
      id: `${id}-input`,
      value: draft,
      maxLength,
      autoFocus: true,
      onKeyDown,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${id}-error` : undefined,
    };
    return (
      <div className={styles.field}>
        <label htmlFor={field.id} className={styles.fieldLabel}>
          {label}
        </label>
        {multiline ? (
          <textarea {...field} rows={4} onChange={(e) => setDraft(e.target.value)} />
        ) : (
          <input
            {...field}
            autoComplete="off"
            onChange={(e) => setDraft(channelName ? normalizeChannelName(e.target.value) : e.target.value)}
          />
        )}
        {error && (
          <p id={`${id}-error`} role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <div className={styles.fieldActions}>
          <button type="button" className={styles.textButton} onClick={cancel}>
            Cancel
          </button>
          <button
            type="button"
            className={styles.primaryButton}
            disabled={busy || (channelName && draft === "")}
            onClick={() => void save()}
          >
            Save
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className={styles.field}>
      <div className={styles.fieldRow}>
        <h3 className={styles.fieldLabel}>{label}</h3>
        {canEdit && (
          <button
            type="button"
            className={styles.textButton}
            aria-label={`Edit ${label.toLowerCase()}`}
            onClick={() => setDraft(value)}
          >
            Edit
          </button>
        )}
      </div>
      <p className={value ? styles.fieldValue : styles.muted}>{value || placeholder}</p>
    </div>
  );
}
