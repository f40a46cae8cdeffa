import type { ConversationInfo, User } from "@/lib/protocol";

/**
 * What a conversation is called where it is listed, as Slack names it: a channel by its name, a direct
 * message by the other person, your notepad by your own name with "(you)", a group by the first names
 * of the others.
 */
export function conversationLabel(
  conversation: Pick<ConversationInfo, "kind" | "name" | "members">,
  me: Pick<User, "id" | "name">,
): string {
  if (conversation.kind === "channel") return conversation.name ?? "";
  const others = conversation.members.filter((m) => m.id !== me.id);
  if (others.length === 0) return `${me.name} (you)`;
  if (conversation.kind === "dm") return others[0]!.name;
  return others.map((m) => firstName(m.name)).join(", ");
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
