"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationInfo } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { conversationLabel } from "@/lib/client/conversation-names";
import { may } from "@/lib/client/permissions";
import { Composer } from "./composer";
import { EditingProvider } from "./editing-context";
import { useChatActions, useConversationInfo, useGeneralChannelId, useHistory, useMe } from "./chat-hooks";
import { ConversationDetails } from "./conversation-details";
import { DetailsIcon, LockIcon } from "./icons";
import { MessageList } from "./message-list";
import { ThreadOpener } from "./thread-context";
import { ThreadPanel } from "./thread-panel";
import styles from "./chat.module.css";

/** What the link leads to: the conversation, a public channel to join first, or nothing this person may see. */
type Access =
  | { kind: "open" }
  | { kind: "preview"; channel: ConversationInfo }
  /** `left`: the name of the conversation this person was in until a moment ago. */
  | { kind: "missing"; left?: string };

export function ConversationView({
  conversationId,
  linked,
  linkedReply,
}: {
  conversationId: string;
  /** The message a link points to (`?m=`), or a parameter that names none. */
  linked: number | null | "invalid";
  /** The reply in that message's thread a link points to (`&t=`), or a parameter that names none. */
  linkedReply: number | null | "invalid";
}) {
  const { openConversation, getConversation } = useChatActions();
  const me = useMe();
  const [access, setAccess] = useState<Access>({ kind: linked === "invalid" ? "missing" : "open" });
  const target = typeof linked === "number" ? linked : undefined;
  const [error, setError] = useState<string | null>(null);
  const [detailsOpen, setDetailsOpen] = useState(false);
  /** The message whose thread is open beside the conversation (in place of the details): a reply's link opens it. */
  const linkedThread = target !== undefined && linkedReply !== null ? target : null;
  const [threadSeq, setThreadSeq] = useState<number | null>(linkedThread);
  // A link to a reply of this conversation while it is open opens that thread in place.
  const [shownLink, setShownLink] = useState(linkedThread);
  if (linkedThread !== shownLink) {
    setShownLink(linkedThread);
    if (linkedThread !== null) setThreadSeq(linkedThread);
  }
  const threadReturn = useRef<HTMLElement | null>(null);
  // Stable: every message of the list reads it.
  const openThread = useCallback((seq: number) => {
    threadReturn.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDetailsOpen(false);
    setThreadSeq(seq);
  }, []);
  const threadRoot = useHistory(conversationId)?.messages.find((m) => m.seq === threadSeq);
  const detailsButton = useRef<HTMLButtonElement>(null);
  const conversation = useConversationInfo(conversationId);
  /** The conversation's name while this person is in it: what they were taken out of, when they are. */
  const heldLabel = useRef<string | null>(null);

  // The page keys this view by conversation, so each conversation starts with a fresh state; a link to
  // another message of it opens that one in place. A message that does not exist is not found, as a
  // conversation that does not is.
  useEffect(() => {
    if (linked === "invalid") return;
    let current = true;
    openConversation(conversationId, target).catch(async (e: unknown) => {
      const next = await accessAfter(e, () => getConversation(conversationId));
      if (!current) return;
      if (next) setAccess(next);
      else setError((e as Error).message);
    });
    return () => {
      current = false;
    };
  }, [conversationId, linked, target, openConversation, getConversation]);

  // Taken out of the conversation while reading it (removed from a private channel, left in another
  // tab): the view becomes what its link now leads to.
  useEffect(() => {
    if (conversation) {
      const label = conversationLabel(conversation, me);
      heldLabel.current = conversation.kind === "channel" ? `#${label}` : label;
      return;
    }
    const left = heldLabel.current;
    if (left === null) return;
    heldLabel.current = null;
    let current = true;
    void accessAfter(new ApiError("forbidden", "No longer a member"), () => getConversation(conversationId)).then(
      (next) => current && next && setAccess(next.kind === "missing" ? { kind: "missing", left } : next),
    );
    return () => {
      current = false;
    };
  }, [conversation, conversationId, getConversation, me]);

  if (access.kind === "preview") {
    return <ChannelPreview channel={access.channel} at={target} onJoined={() => setAccess({ kind: "open" })} />;
  }
  if (access.kind === "missing") return <NoAccess left={access.left} />;
  const label = conversation ? conversationLabel(conversation, me) : "";
  const isPublicChannel = conversation?.kind === "channel" && !conversation.isPrivate;
  const title = isPublicChannel ? `#${label}` : label;
  const closeDetails = () => {
    setDetailsOpen(false);
    detailsButton.current?.focus();
  };
  const closeThread = () => {
    setThreadSeq(null);
    threadReturn.current?.focus();
  };

  return (
    <>
      <main
        className={styles.conversation}
        aria-label={title}
        data-details={detailsOpen || threadRoot ? "open" : undefined}
      >
        <header className={styles.header}>
          <div className={styles.headerText}>
            <h1>
              {conversation?.isPrivate && (
                <span className={styles.titleIcon}>
                  <LockIcon size={15} />
                </span>
              )}
              {title}
            </h1>
            {conversation?.topic && <p className={styles.muted}>{conversation.topic}</p>}
          </div>
          {conversation && (
            <button
              ref={detailsButton}
              type="button"
              className={styles.iconButton}
              aria-label={conversation.kind === "channel" ? "Channel details" : "Conversation details"}
              aria-expanded={detailsOpen}
              aria-controls="conversation-details"
              onClick={() => {
                setThreadSeq(null);
                if (detailsOpen) closeDetails();
                else setDetailsOpen(true);
              }}
            >
              <DetailsIcon />
            </button>
          )}
        </header>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <EditingProvider key={conversationId}>
          <ThreadOpener.Provider value={openThread}>
            <MessageList conversationId={conversationId} target={target} />
          </ThreadOpener.Provider>
          {conversation?.archived ? (
            <ArchivedNotice conversation={conversation} />
          ) : (
            conversation && <Composer conversationId={conversationId} label={`Message ${title}`} />
          )}
        </EditingProvider>
      </main>
      {detailsOpen && conversation && <ConversationDetails conversation={conversation} onClose={closeDetails} />}
      {threadRoot && (
        <ThreadPanel
          key={threadRoot.seq}
          parentId={conversationId}
          root={threadRoot}
          linkedReply={threadRoot.seq === linkedThread ? linkedReply : null}
          where={title}
          onClose={closeThread}
        />
      )}
    </>
  );
}

/** In place of the composer: an archived channel is read-only, and those who may can bring it back. */
function ArchivedNotice({ conversation }: { conversation: ConversationInfo }) {
  const { setArchived } = useChatActions();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  return (
    <section className={styles.archivedNotice} aria-label="Archived channel">
      <p>
        <strong>#{conversation.name} is archived.</strong> You can read its history, but no one can post in it.
      </p>
      {may(me, "unarchive", conversation) && (
        <button
          type="button"
          className={styles.primaryButton}
          onClick={() => setArchived(conversation.id, false).catch((e: Error) => setError(e.message))}
        >
          Unarchive channel
        </button>
      )}
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * Why the history could not be opened. A public channel the person is not in comes back as
 * "forbidden" and is previewed; unknown, private and malformed ids are all "nothing here", so a
 * private channel's existence does not leak. Other errors (network) are shown.
 */
async function accessAfter(
  error: unknown,
  preview: () => Promise<{ conversation: ConversationInfo }>,
): Promise<Access | null> {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "not_found" || error.code === "bad_request") return { kind: "missing" };
  if (error.code !== "forbidden") return null;
  const channel = await preview().then(
    (p) => p.conversation,
    () => null,
  );
  return channel ? { kind: "preview", channel } : { kind: "missing" };
}

function ChannelPreview({
  channel,
  at,
  onJoined,
}: {
  channel: ConversationInfo;
  /** The message the link pointed to, opened once joined. */
  at: number | undefined;
  onJoined: () => void;
}) {
  const { joinChannel, openConversation } = useChatActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      await joinChannel(channel.id);
      await openConversation(channel.id, at);
      onJoined();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <main className={styles.conversation} aria-label={`#${channel.name}`}>
      <header className={styles.header}>
        <div className={styles.headerText}>
          <h1>#{channel.name}</h1>
        </div>
      </header>
      <section className={styles.notice}>
        {channel.topic && <p className={styles.noticeTopic}>{channel.topic}</p>}
        <p className={styles.muted}>
          {channel.memberCount} {channel.memberCount === 1 ? "member" : "members"}
        </p>
        <p>You are not in this channel yet. Join to read its messages and post.</p>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <button type="button" className={styles.primaryButton} disabled={busy} onClick={() => void join()}>
          {busy ? "Joining…" : `Join #${channel.name}`}
        </button>
      </section>
    </main>
  );
}

function NoAccess({ left }: { left?: string }) {
  const generalId = useGeneralChannelId();
  return (
    <main className={styles.conversation}>
      <section className={styles.notice}>
        {left ? (
          <>
            <h1>You are no longer in {left}</h1>
            <p className={styles.muted}>Someone removed you, or you left it on another device.</p>
          </>
        ) : (
          <>
            <h1>This conversation doesn&apos;t exist or you don&apos;t have access</h1>
            <p className={styles.muted}>The link may be mistyped, or the channel may be private or gone.</p>
          </>
        )}
        <Link href={generalId ? `/c/${generalId}` : "/"} className={styles.primaryButton}>
          Go to #general
        </Link>
      </section>
    </main>
  );
}
