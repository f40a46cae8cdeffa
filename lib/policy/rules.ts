import type { ErrorCode } from "@/lib/protocol";

/** Everything someone may try to do with a conversation. */
export const actions = [
  "view",
  "read",
  "post",
  "markRead",
  "listMembers",
  "join",
  "leave",
  "addMembers",
  "removeMembers",
  "rename",
  "editTopic",
  "archive",
  "unarchive",
  "makePrivate",
  "restrictMentions",
] as const;
export type Action = (typeof actions)[number];

export type Actor = { id: string; role: "admin" | "member" };

/** What can be done with a thread itself; the rest is done with its parent. */
const threadActions = new Set<Action>(["view", "read", "post", "markRead"]);

/**
 * What the rules need to know about a conversation and the actor's place in it. For a thread, all but
 * `thread` describe its parent: a thread has its parent's rights.
 */
export type Target = {
  kind: "channel" | "dm" | "group";
  name: string | null;
  isPrivate: boolean;
  archived: boolean;
  /** #general, where everyone is. */
  isDefault: boolean;
  createdBy: string | null;
  isMember: boolean;
  /** A message's thread: read, post and mark read as in the parent; nothing about its members or settings. */
  thread: boolean;
};

export type Decision = { allowed: true } | { allowed: false; code: ErrorCode; message: string };

const allow: Decision = { allowed: true };
const deny = (code: ErrorCode, message: string): Decision => ({ allowed: false, code, message });

/**
 * Who may do what with a conversation: the one place that decides it. Someone
 * who may not know a conversation exists (a private channel or someone else's
 * direct message) gets not_found for every action, exactly as for an unknown
 * id; anyone else who may not do something gets forbidden with the reason.
 */
export function decide(actor: Actor, action: Action, target: Target): Decision {
  if (!target.isMember && !(target.kind === "channel" && !target.isPrivate)) {
    return deny("not_found", "This conversation does not exist");
  }
  const label = target.kind === "channel" ? `#${target.name}` : "this conversation";
  const manager = target.createdBy === actor.id || actor.role === "admin";
  const channel = target.kind === "channel";
  const member = target.isMember ? allow : deny("forbidden", `Join ${label} to read and post in it`);
  const open = target.archived ? deny("forbidden", `${label} is archived: it is read-only`) : allow;
  const channelOnly = channel
    ? allow
    : deny("forbidden", "Direct and group messages keep the people they started with");
  const managed = manager ? allow : deny("forbidden", `Only the creator of ${label} or an admin can do that`);
  const notDefault = target.isDefault ? deny("forbidden", `Everyone stays in ${label}`) : allow;
  if (target.thread && !threadActions.has(action)) {
    return deny("forbidden", `A thread has the members and settings of ${label}`);
  }
  switch (action) {
    case "view":
      return allow;
    case "read":
    case "listMembers":
    case "markRead":
      return member;
    case "post":
      return first(member, open);
    case "join":
      return first(channelOnly, open);
    case "leave":
      return first(member, channelOnly, notDefault);
    case "addMembers":
      return first(member, channelOnly, open);
    case "removeMembers":
      return first(channelOnly, managed, notDefault, open);
    case "rename":
      return first(channelOnly, managed, open);
    case "editTopic":
      return first(member, channelOnly, open);
    case "archive":
      return first(channelOnly, managed, target.isDefault ? deny("forbidden", `${label} cannot be archived`) : allow);
    case "unarchive":
      return first(channelOnly, managed);
    case "makePrivate":
      // A member only: an admin outside the channel would lose it the moment it turned private.
      return first(
        member,
        channelOnly,
        actor.role === "admin" ? allow : deny("forbidden", "Only an admin can make a channel private"),
        target.isDefault ? deny("forbidden", `${label} stays public`) : allow,
        open,
      );
    case "restrictMentions":
      return first(channelOnly, managed, open);
  }
}

/** What concerns the whole workspace rather than one conversation. */
export type WorkspaceAction = "changeSettings";

/** Only an admin changes the workspace's settings (its edit window, for now). */
export function decideWorkspace(actor: Actor, action: WorkspaceAction): Decision {
  switch (action) {
    case "changeSettings":
      return actor.role === "admin" ? allow : deny("forbidden", "Only an admin can change the workspace's settings");
  }
}

/** What the rule for @channel and @here reads of a conversation. */
export type EveryoneTarget = {
  name: string | null;
  createdBy: string | null;
  mentionsRestricted: boolean;
};

/**
 * Whether the actor may call everyone in a conversation with @channel or
 * @here, once they may post there: a channel may keep them for its creator and
 * admins. The send statements check the same (server/messages/insert-statements.ts).
 */
export function decideEveryoneMention(actor: Actor, target: EveryoneTarget): Decision {
  if (!target.mentionsRestricted || actor.role === "admin" || target.createdBy === actor.id) return allow;
  return deny("forbidden", `Only the creator of #${target.name} or an admin can use @channel and @here there`);
}

/** What the rules need to know about a message, besides its conversation. */
export type MessageTarget = { senderId: string; deleted: boolean; createdAtMs: number };

export type MessageAction = "editMessage" | "deleteMessage" | "react" | "removePreview";

/** The workspace's settings the message rules read, and the time they are asked at. */
export type MessageContext = { nowMs: number; editWindowSeconds: number | null };

/**
 * Who may change a message: its sender edits it (within the workspace's edit
 * window, if one is set) and deletes it; an admin deletes anyone's; anyone who
 * may post reacts to it; the sender removes its link preview. All need what posting needs (a member, not archived),
 * so a conversation that is read-only stays as it is, and a deleted message
 * takes no more changes.
 */
export function decideMessage(
  actor: Actor,
  action: MessageAction,
  conversation: Target,
  message: MessageTarget,
  context: MessageContext,
): Decision {
  const canPost = decide(actor, "post", conversation);
  if (!canPost.allowed) return canPost;
  // A delete of a deleted message (sent again from another device) is allowed to whom the delete was.
  if (message.deleted && action !== "deleteMessage") return deny("not_found", "This message was deleted");
  const own = message.senderId === actor.id;
  if (action === "react") return allow;
  if (action === "deleteMessage") {
    return own || actor.role === "admin"
      ? allow
      : deny("forbidden", "Only the sender or an admin can delete a message");
  }
  if (!own) return deny("forbidden", "You can only edit your own messages");
  // A preview is not the sender's words: they may take it away whenever they like.
  if (action === "removePreview") return allow;
  const window = context.editWindowSeconds;
  if (window === 0) return deny("forbidden", "Messages cannot be edited in this workspace");
  if (window !== null && context.nowMs - message.createdAtMs > window * 1000) {
    return deny("forbidden", `Messages can be edited for ${describeSeconds(window)} after they are sent`);
  }
  return allow;
}

function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

function first(...decisions: Decision[]): Decision {
  return decisions.find((d) => !d.allowed) ?? allow;
}
