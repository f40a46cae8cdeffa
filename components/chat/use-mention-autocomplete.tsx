"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import {
  chosenMention,
  distinctLabel,
  encodeMentions,
  insertMention,
  mentionOptions,
  mentionQuery,
  offersEveryone,
  type ChosenMention,
  type MentionOption,
} from "@/lib/client/mention-autocomplete";
import type { Person } from "@/lib/protocol";
import { useChatActions, useConversationInfo, useMe, useMembers } from "./chat-hooks";
import styles from "./chat.module.css";

/**
 * The composer's "@" autocomplete: a listbox of people (the conversation's members first, then
 * others) and, in channels, @channel and @here. The text shows a chosen person as "@Name";
 * `encode` turns the names chosen, and members' names typed or kept in a draft, into the tokens sent.
 */
export function useMentionAutocomplete(
  conversationId: string,
  text: string,
  box: RefObject<HTMLTextAreaElement | null>,
  setText: (next: string) => void,
  { inThread = false }: { inThread?: boolean } = {},
) {
  const me = useMe();
  const conversation = useConversationInfo(conversationId);
  const channelMembers = useMembers(conversationId);
  const { loadMembers, findPeople } = useChatActions();
  const [caret, setCaret] = useState<number | null>(null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [others, setOthers] = useState<Person[]>([]);
  const chosen = useRef<ChosenMention[]>([]);
  const listId = useId();

  const found = caret === null ? null : mentionQuery(text, caret);
  const query = found && found.start !== dismissedAt ? found : null;
  const isChannel = conversation?.kind === "channel";
  const members = isChannel ? channelMembers : conversation?.members;

  const search = query?.query;
  // Also for a draft that names people: a member's "@Name" is sent as a mention, chosen or not.
  const needsMembers = (search !== undefined || text.includes("@")) && isChannel && !channelMembers;
  useEffect(() => {
    if (needsMembers) void loadMembers(conversationId).catch(() => {});
  }, [needsMembers, loadMembers, conversationId]);

  useEffect(() => {
    if (search === undefined) return;
    let current = true;
    findPeople(search).then(
      (people) => current && setOthers(people.map(({ id, name }) => ({ id, name }))),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [search, findPeople]);

  const options =
    search === undefined
      ? []
      : mentionOptions(search, members ?? [], others, {
          everyone: offersEveryone(me, conversation, inThread),
          excludeId: me.id,
        });
  const open = query !== null && options.length > 0;
  const activeIndex = Math.min(active, options.length - 1);

  const choose = (option: MentionOption) => {
    if (!query || caret === null) return;
    const mention = distinctLabel(chosenMention(option), chosen.current);
    chosen.current = [...chosen.current.filter((c) => c.label !== mention.label), mention];
    const next = insertMention(text, query.start, caret, mention);
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret));
  };

  /** Handles the keys the open listbox takes; true when it took this one. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((activeIndex + step + options.length) % options.length);
    } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      choose(options[activeIndex]!);
    } else if (event.key === "Escape") {
      setDismissedAt(query.start);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const trackCaret = () => {
    const element = box.current;
    if (!element) return;
    setCaret(element.selectionStart === element.selectionEnd ? element.selectionStart : null);
    setActive(0);
  };

  const optionId = (i: number) => `${listId}-${i}`;
  const comboboxProps = {
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": open,
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open ? optionId(activeIndex) : undefined,
    onSelect: trackCaret,
  } as const;

  const listbox = open ? (
    <ul id={listId} role="listbox" aria-label="People to mention" className={styles.mentionList}>
      {options.map((option, i) => (
        <li
          key={option.kind === "person" ? option.id : option.scope}
          id={optionId(i)}
          role="option"
          aria-selected={i === activeIndex}
          className={styles.mentionOption}
          // Keeps the focus in the composer as the option is clicked.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => choose(option)}
        >
          {option.kind === "person" ? (
            <>
              <strong>{option.name}</strong>
              {!option.member && <span className={styles.muted}> not in this conversation</span>}
            </>
          ) : (
            <>
              <strong>@{option.scope}</strong>
              <span className={styles.muted}>
                {option.scope === "channel" ? " everyone in this channel" : " everyone active now"}
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  ) : null;

  return {
    comboboxProps,
    listbox,
    onKeyDown,
    /** The text to send; `known` are mentions the text held already (an edited message's), kept as they were. */
    encode: (value: string, known: readonly ChosenMention[] = []) =>
      encodeMentions(value, [...memberMentions(members ?? [], me.id), ...known, ...chosen.current]),
    reset: () => {
      chosen.current = [];
      setCaret(null);
    },
  };
}

/** Each member but the writer as a mention their "@Name" stands for; one chosen under the same name wins. */
function memberMentions(members: readonly Person[], writerId: string): ChosenMention[] {
  return members
    .filter((p) => p.id !== writerId)
    .map((p) => chosenMention({ kind: "person", id: p.id, name: p.name, member: true }));
}
