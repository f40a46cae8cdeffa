"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import type { DirectoryPerson } from "@/lib/protocol";
import { useChatActions, useMe } from "./chat-hooks";
import { CloseIcon } from "./icons";
import styles from "./chat.module.css";

/** Long enough that typing a name asks once, short enough to feel immediate. */
const SEARCH_DELAY_MS = 200;

export type PeoplePickerProps = {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: string;
  /** One line under the title: what choosing does and its limits. */
  hint: string;
  submitLabel: string;
  /** Most people that can be chosen besides yourself. */
  limit: number;
  limitMessage: string;
  /** People not offered (already in the conversation). */
  excludeIds?: ReadonlySet<string>;
  /** Does the thing with the people chosen; the dialog closes when it resolves and shows its error if it throws. */
  onSubmit: (people: DirectoryPerson[]) => Promise<void>;
};

/**
 * Chooses people by name or email, Slack's way: results as you type, arrow keys and Enter to pick,
 * chosen people as chips that Backspace takes back, Enter on an empty field to go.
 */
export function PeoplePickerDialog({
  dialogRef,
  title,
  hint,
  submitLabel,
  limit,
  limitMessage,
  excludeIds,
  onSubmit,
}: PeoplePickerProps) {
  const { findPeople } = useChatActions();
  const me = useMe();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<DirectoryPerson[]>([]);
  const [chosen, setChosen] = useState<DirectoryPerson[]>([]);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Starts afresh each time the dialog opens (a native listener: see BrowseChannelsDialog).
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const onToggle = (event: Event) => {
      const opened = (event as ToggleEvent).newState === "open";
      setOpen(opened);
      if (!opened) return;
      setQuery("");
      setChosen([]);
      setActive(-1);
      setError(null);
      input.current?.focus();
    };
    dialog.addEventListener("toggle", onToggle);
    return () => dialog.removeEventListener("toggle", onToggle);
  }, [dialogRef]);

  useEffect(() => {
    if (!open) return;
    let current = true;
    const timer = setTimeout(() => {
      findPeople(query).then(
        (people) => current && setFound(people),
        (e: Error) => current && setError(e.message),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [open, query, findPeople]);

  const chosenIds = new Set(chosen.map((p) => p.id));
  const results = found.filter((p) => !chosenIds.has(p.id) && !excludeIds?.has(p.id));
  const full = chosen.filter((p) => p.id !== me.id).length >= limit;
  const activeIndex = Math.min(active, results.length - 1);

  const choose = (person: DirectoryPerson) => {
    if (full) return;
    setChosen([...chosen, person]);
    setQuery("");
    setActive(-1);
    input.current?.focus();
  };

  const submit = async () => {
    if (chosen.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(chosen);
      dialogRef.current?.close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((activeIndex + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const person = results[activeIndex];
      if (person) choose(person);
      else if (query === "") void submit();
    } else if (event.key === "Backspace" && query === "" && chosen.length > 0) {
      setChosen(chosen.slice(0, -1));
    }
  };

  return (
    <dialog ref={dialogRef} className={`${styles.dialog} ${styles.pickerDialog}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className={styles.muted} id={`${id}-hint`}>
        {hint}
      </p>
      <div className={styles.pickerField}>
        {chosen.length > 0 && (
          <ul className={styles.chips} aria-label="Chosen">
            {chosen.map((person) => (
              <li key={person.id} className={styles.chip}>
                {nameOf(person, me.id)}
                <button
                  type="button"
                  aria-label={`Remove ${person.name}`}
                  onClick={() => setChosen(chosen.filter((p) => p.id !== person.id))}
                >
                  <CloseIcon />
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          ref={input}
          role="combobox"
          aria-label="Find people by name or email"
          aria-describedby={`${id}-hint`}
          aria-autocomplete="list"
          aria-expanded={results.length > 0}
          aria-controls={`${id}-results`}
          aria-activedescendant={activeIndex >= 0 ? `${id}-option-${activeIndex}` : undefined}
          placeholder={chosen.length === 0 ? "Type a name or email" : "Add another person"}
          value={query}
          autoComplete="off"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(e.target.value === "" ? -1 : 0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      {full && <p className={styles.muted}>{limitMessage}</p>}
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <ul id={`${id}-results`} role="listbox" aria-label="People" className={styles.results}>
        {results.map((person, index) => (
          <li
            key={person.id}
            id={`${id}-option-${index}`}
            role="option"
            aria-selected={index === activeIndex}
            aria-disabled={full || undefined}
            className={styles.result}
            // Keeps the focus in the field, so typing and the keys go on working.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(person)}
          >
            <span className={styles.avatar} aria-hidden>
              {person.name.slice(0, 1).toUpperCase()}
            </span>
            <span className={styles.resultText}>
              <strong>{nameOf(person, me.id)}</strong>
              <span className={styles.muted}>{person.email}</span>
            </span>
          </li>
        ))}
      </ul>
      {open && results.length === 0 && query !== "" && <p className={styles.muted}>No one matches “{query}”.</p>}
      <div className={styles.dialogActions}>
        <button type="button" className={styles.textButton} onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className={styles.primaryButton}
          disabled={chosen.length === 0 || busy}
          onClick={() => void submit()}
        >
          {submitLabel}
        </button>
      </div>
    </dialog>
  );
}

const nameOf = (person: DirectoryPerson, myId: string) => (person.id === myId ? `${person.name} (you)` : person.name);
