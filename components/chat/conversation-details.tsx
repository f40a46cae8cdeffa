"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { ConversationInfo, Person } from "@/lib/protocol";
import { conversationLabel } from "@/lib/client/conversation-names";
import { may } from "@/lib/client/permissions";
import { useChatActions, useMe, useMembers } from "./chat-hooks";
import { CloseIcon, LockIcon } from "./icons";
import { EditableField } from "./editable-field";
import { PeoplePickerDialog } from "./people-picker-dialog";
import { initials } from "./sidebar";
import styles from "./chat.module.css";

/**
 * A conversation's details beside it (full screen on a phone): about, members, and what the person may
 * do with it. What they may not do is not offered; the server decides anyway.
 */
export function ConversationDetails({
  conversation,
  onClose,
}: {
  conversation: ConversationInfo;
  onClose: () => void;
}) {
  const me = useMe();
  const id = useId();
  const closeButton = useRef<HTMLButtonElement>(null);
  const channel = conversation.kind === "channel";
  const label = conversationLabel(conversation, me);
  const title = channel && !conversation.isPrivate ? `#${label}` : label;

  useEffect(() => closeButton.current?.focus(), []);

  const onKeyDown = (event: KeyboardEvent) => {
    // A dialog opened from the panel takes its own Escape; an edit in progress cancels first.
    const inDialog = (event.target as Element).closest("dialog");
    if (event.key === "Escape" && !event.defaultPrevented && !inDialog) {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <aside id="conversation-details" className={styles.details} aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <header className={styles.detailsHeader}>
        <h2 id={`${id}-title`}>
          {conversation.isPrivate && (
            <span className={styles.titleIcon}>
              <LockIcon size={15} />
            </span>
          )}
          {title}
        </h2>
        <button
          ref={closeButton}
          type="button"
          className={styles.iconButton}
          aria-label="Close details"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>
      <div className={styles.detailsBody}>
        {channel ? <ChannelAbout conversation={conversation} /> : null}
        {channel ? <ChannelMembers conversation={conversation} /> : <People people={conversation.members} />}
        {channel && <ChannelActions conversation={conversation} />}
      </div>
    </aside>
  );
}

function ChannelAbout({ conversation }: { conversation: ConversationInfo }) {
  const { updateConversation } = useChatActions();
  const me = useMe();
  const canEdit = may(me, "editTopic", conversation);
  const update = (changes: { name?: string; topic?: string; description?: string }) =>
    updateConversation(conversation.id, changes);
  return (
    <section className={styles.detailsSection} aria-label="About">
      {conversation.isPrivate && (
        <p className={styles.muted}>Private channel: only its members can see it and find it.</p>
      )}
      {conversation.archived && <p className={styles.muted}>Archived: read-only.</p>}
      <EditableField
        label="Channel name"
        value={conversation.name ?? ""}
        canEdit={may(me, "rename", conversation)}
        channelName
        onSave={(name) => update({ name })}
      />
      <EditableField
        label="Topic"
        value={conversation.topic}
        placeholder="Add a topic"
        canEdit={canEdit}
        maxLength={250}
        onSave={(topic) => update({ topic })}
      />
      <EditableField
        label="Description"
        value={conversation.description}
        placeholder="Add a description"
        canEdit={canEdit}
        multiline
        maxLength={1000}
        onSave={(description) => update({ description })}
      />
      <MentionsRestriction conversation={conversation} />
    </section>
  );
}

/** Whether @channel and @here are for the channel's creator and admins only: they may switch it. */
function MentionsRestriction({ conversation }: { conversation: ConversationInfo }) {
  const { updateConversation } = useChatActions();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  if (!may(me, "restrictMentions", conversation)) {
    return conversation.mentionsRestricted ? (
      <p className={styles.muted}>Only the channel's creator and admins can use @channel and @here.</p>
    ) : null;
  }
  return (
    <div>
      <label className={styles.checkboxRow}>
        <input
          type="checkbox"
          checked={conversation.mentionsRestricted}
          onChange={(e) => {
            setError(null);
            updateConversation(conversation.id, { mentionsRestricted: e.target.checked }).catch((failure: Error) =>
              setError(failure.message),
            );
          }}
        />
        Only the creator and admins can use @channel and @here
      </label>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function ChannelMembers({ conversation }: { conversation: ConversationInfo }) {
  const { loadMembers, removeMember, addMembers } = useChatActions();
  const me = useMe();
  const members = useMembers(conversation.id);
  const [error, setError] = useState<string | null>(null);
  const addRef = useRef<HTMLDialogElement>(null);
  const canRemove = may(me, "removeMembers", conversation);

  useEffect(() => {
    loadMembers(conversation.id).catch((e: Error) => setError(e.message));
  }, [conversation.id, loadMembers]);

  return (
    <section className={styles.detailsSection} aria-labelledby="members-heading">
      <div className={styles.detailsSectionHeader}>
        <h3 id="members-heading">
          Members <span className={styles.muted}>{conversation.memberCount}</span>
        </h3>
        {may(me, "addMembers", conversation) && (
          <button type="button" className={styles.secondaryButton} onClick={() => addRef.current?.showModal()}>
            Add people
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {members === undefined ? (
        <p className={styles.muted}>Loading members…</p>
      ) : (
        <ul className={styles.memberList}>
          {members.map((member) => (
            <li key={member.id}>
              <span className={styles.avatar} aria-hidden>
                {initials(member.name)}
              </span>
              <span className={styles.memberName}>
                {member.name}
                {member.id === me.id && <span className={styles.muted}> (you)</span>}
              </span>
              {canRemove && member.id !== me.id && (
                <button
                  type="button"
                  className={styles.textButton}
                  aria-label={`Remove ${member.name}`}
                  onClick={() => removeMember(conversation.id, member.id).catch((e: Error) => setError(e.message))}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <PeoplePickerDialog
        dialogRef={addRef}
        title={`Add people to #${conversation.name}`}
        hint={
          conversation.isPrivate
            ? "They will see this private channel and all of its history."
            : "They will be able to read the channel's history."
        }
        submitLabel="Add"
        limit={100}
        limitMessage="Add at most 100 people at a time."
        excludeIds={new Set(members?.map((m) => m.id))}
        onSubmit={(people) =>
          addMembers(
            conversation.id,
            people.map((p) => p.id),
          )
        }
      />
    </section>
  );
}

function People({ people }: { people: Person[] }) {
  const me = useMe();
  return (
    <section className={styles.detailsSection} aria-labelledby="people-heading">
      <h3 id="people-heading">People</h3>
      <ul className={styles.memberList}>
        {people.map((person) => (
          <li key={person.id}>
            <span className={styles.avatar} aria-hidden>
              {initials(person.name)}
            </span>
            <span className={styles.memberName}>
              {person.name}
              {person.id === me.id && <span className={styles.muted}> (you)</span>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChannelActions({ conversation }: { conversation: ConversationInfo }) {
  const { leaveConversation, setArchived, makePrivate } = useChatActions();
  const me = useMe();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDialogElement>(null);
  const fail = (e: Error) => setError(e.message);
  const archiveAction = conversation.archived ? "unarchive" : "archive";
  const canLeave = may(me, "leave", conversation);
  const canArchive = may(me, archiveAction, conversation);
  const canMakePrivate = !conversation.isPrivate && may(me, "makePrivate", conversation);
  if (!canLeave && !canArchive && !canMakePrivate) return null;

  return (
    <section className={styles.detailsSection} aria-label="Channel settings">
      {canMakePrivate && (
        <button type="button" className={styles.secondaryButton} onClick={() => confirmRef.current?.showModal()}>
          Make private
        </button>
      )}
      {canArchive && (
        <button
          type="button"
          className={styles.secondaryButton}
          onClick={() => setArchived(conversation.id, !conversation.archived).catch(fail)}
        >
          {conversation.archived ? "Unarchive channel" : "Archive channel"}
        </button>
      )}
      {canLeave && (
        <button
          type="button"
          className={styles.dangerButton}
          onClick={() => leaveConversation(conversation.id).then(() => router.push("/"), fail)}
        >
          Leave channel
        </button>
      )}
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <dialog
        ref={confirmRef}
        className={styles.dialog}
        aria-labelledby="private-title"
        aria-describedby="private-text"
      >
        <h2 id="private-title">Make #{conversation.name} private?</h2>
        <p id="private-text">
          Only its members will see it, its history and its name; no one else can find or join it. This cannot be
          undone.
        </p>
        <form method="dialog" className={styles.dialogActions}>
          <button type="submit" className={styles.textButton}>
            Cancel
          </button>
          <button
            type="button"
            className={styles.dangerButton}
            onClick={() => {
              confirmRef.current?.close();
              makePrivate(conversation.id).catch(fail);
            }}
          >
            Make private
          </button>
        </form>
      </dialog>
    </section>
  );
}
