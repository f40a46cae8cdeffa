"use client";

import { useMemo } from "react";
import { mentionTokens } from "@/lib/markdown/mentions";
import { parseMessage } from "@/lib/markdown/parse";
import { useMe, useMentionNames } from "./chat-hooks";
import { MarkdownView, type MentionLookup } from "./markdown-view";
import { useShortcodes } from "./use-shortcodes";
import styles from "./chat.module.css";

const MAYBE_SHORTCODE = /:[a-z0-9_+-]+:/i;

/** A message's text in Parley's Markdown subset, with mentions named from what this client knows. */
export function MessageText({ text }: { text: string }) {
  const blocks = useMemo(() => parseMessage(text), [text]);
  const [userIds, channelIds] = useMemo(() => {
    const mentions = mentionTokens(blocks);
    const ids = (kind: "user" | "channel") => [...new Set(mentions.flatMap((m) => (m.kind === kind ? [m.id] : [])))];
    return [ids("user"), ids("channel")];
  }, [blocks]);
  const names = useMentionNames(userIds, channelIds);
  const me = useMe();
  const lookup = useMemo<MentionLookup>(
    () => ({
      userName: (id) => (id === me.id ? me.name : names.users[id]),
      channelName: (id) => names.channels[id],
      readerId: me.id,
    }),
    [names, me],
  );
  const shortcodes = useShortcodes(MAYBE_SHORTCODE.test(text));
  return (
    <div className={styles.text} data-message-text>
      <MarkdownView blocks={blocks} lookup={lookup} shortcodes={shortcodes} />
    </div>
  );
}
