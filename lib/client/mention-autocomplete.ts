import { decideEveryoneMention, type Actor, type EveryoneTarget } from "@/lib/policy/rules";
import type { Person } from "@/lib/protocol";

/** What "@" offers: a person, or everyone in a channel with @channel or @here. */
export type MentionOption =
  { kind: "person"; id: string; name: string; member: boolean } | { kind: "everyone"; scope: "channel" | "here" };

/** A mention chosen in the composer: shown as "@Name" while typing, sent as its token. */
export type ChosenMention = { label: string; token: string };

const MAX_OPTIONS = 8;

/**
 * Whether "@" offers @channel and @here: in a channel whose rules let this person use them, and not in a
 * thread's reply, where they call no one (the server stores a reply's mentions of people only).
 */
export function offersEveryone(
  me: Actor,
  conversation: (EveryoneTarget & { kind: string }) | undefined,
  inThread: boolean,
): boolean {
  return conversation?.kind === "channel" && !inThread && decideEveryoneMention(me, conversation).allowed;
}

/** The "@..." being typed just before the caret, if any: what follows "@" at the start of a word. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)@([^\s@<>]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, query: match[1]! };
}

/**
 * What to offer for a query: people whose name has a word starting with it, members of the
 * conversation first, then others, each by name; then @channel and @here where they fit.
 */
export function mentionOptions(
  query: string,
  members: readonly Person[],
  others: readonly Person[],
  options: { everyone: boolean; excludeId?: string },
): MentionOption[] {
  const q = query.toLowerCase();
  const fits = (name: string) =>
    q === "" ||
    name
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(q));
  const byName = (a: Person, b: Person) => a.name.localeCompare(b.name);
  const memberIds = new Set(members.map((m) => m.id));
  const people = (list: readonly Person[], member: boolean): MentionOption[] =>
    list
      .filter((p) => p.id !== options.excludeId && fits(p.name) && (member || !memberIds.has(p.id)))
      .sort(byName)
      .map((p) => ({ kind: "person", id: p.id, name: p.name, member }));
  const everyone: MentionOption[] = options.everyone
    ? (["channel", "here"] as const)
        .filter((scope) => scope.startsWith(q))
        .map((scope) => ({ kind: "everyone", scope }))
    : [];
  const found = [...people(members, true), ...people(others, false)];
  return [...found.slice(0, MAX_OPTIONS - everyone.length), ...everyone];
}

/** How an option is shown in the composer, and the token it is sent as. */
export function chosenMention(option: MentionOption): ChosenMention {
  return option.kind === "person"
    ? { label: `@${option.name}`, token: `<@${option.id}>` }
    : { label: `@${option.scope}`, token: `<!${option.scope}>` };
}

/**
 * The mention with a label no other mention chosen has: two people of one name ("@Sam Lee" twice) must
 * not become one token when the text is sent, so the second is "@Sam Lee (2)", and so on.
 */
export function distinctLabel(mention: ChosenMention, chosen: readonly ChosenMention[]): ChosenMention {
  const tokenOf = new Map(chosen.map((c) => [c.label, c.token]));
  for (let n = 1; ; n++) {
    const label = n === 1 ? mention.label : `${mention.label} (${n})`;
    const taken = tokenOf.get(label);
    if (taken === undefined || taken === mention.token) return { ...mention, label };
  }
}

/** The text with the "@query" at `start` replaced by the chosen label and a space, and the caret after it. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  chosen: ChosenMention,
): { text: string; caret: number } {
  const inserted = `${chosen.label} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/**
 * The text to send: each label of a mention chosen in it becomes its token, longest labels first so
 * that "@Ann Archer" is not taken for "@Ann". A label followed by a letter or digit is another word.
 */
export function encodeMentions(text: string, chosen: readonly ChosenMention[]): string {
  const byLength = [...chosen].sort((a, b) => b.label.length - a.label.length);
  if (byLength.length === 0) return text;
  const pattern = new RegExp(`(${byLength.map((c) => escapeRegExp(c.label)).join("|")})(?![\\p{L}\\p{N}])`, "gu");
  const tokens = new Map(byLength.map((c) => [c.label, c.token]));
  return text.replace(pattern, (label) => tokens.get(label) ?? label);
}

/**
 * A stored text as the composer shows it, for editing: each mention token whose person's name is known
 * becomes "@Name" (and @channel, @here theirs), with the mentions that `encodeMentions` turns back into
 * the same tokens. A token whose name is unknown stays as it is, so that saving loses no mention.
 */
export function decodeMentions(
  text: string,
  nameOf: (userId: string) => string | undefined,
): { text: string; chosen: ChosenMention[] } {
  const chosen = new Map<string, ChosenMention>();
  const decoded = text.replace(
    MENTION_TOKEN,
    (token: string, userId: string | undefined, scope: string | undefined) => {
      const name = userId ? nameOf(userId.toLowerCase()) : undefined;
      if (userId && name === undefined) return token;
      const named = userId ? { label: `@${name}`, token } : { label: `@${scope!.toLowerCase()}`, token };
      const mention = distinctLabel(named, [...chosen.values()]);
      chosen.set(mention.label, mention);
      return mention.label;
    },
  );
  return { text: decoded, chosen: [...chosen.values()] };
}

const MENTION_TOKEN = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>|<!(channel|here)>/gi;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
