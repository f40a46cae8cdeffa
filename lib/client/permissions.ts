import type { Conversation, Message, User } from "@/lib/protocol";
import { decide, decideMessage, type Action, type MessageAction } from "@/lib/policy/rules";

/**
 * Whether the person may do `action` in a conversation they are in, by the server's own rules (a pure
 * module, shared rather than copied so the two cannot drift): the chat hides what would be refused.
 */
export function may(
  user: Pick<User, "id" | "role">,
  action: Action,
  conversation: Pick<Conversation, "kind" | "name" | "isPrivate" | "archived" | "isDefault" | "createdBy">,
): boolean {
  return decide(user, action, { ...conversation, isMember: true, thread: false }).allowed;
}

/**
 * Whether the person may edit or delete a message of a conversation they are in. The workspace's edit
 * window is not known here: an edit past it is refused by the server, with the reason.
 */
export function mayChangeMessage(
  user: Pick<User, "id" | "role">,
  action: MessageAction,
  conversation: Pick<Conversation, "kind" | "name" | "isPrivate" | "archived" | "isDefault" | "createdBy">,
  message: Pick<Message, "sender" | "deletedAt" | "createdAt">,
): boolean {
  return decideMessage(
    user,
    action,
    { ...conversation, isMember: true, thread: false },
    { senderId: message.sender.id, deleted: message.deletedAt !== null, createdAtMs: Date.parse(message.createdAt) },
    { nowMs: Date.now(), editWindowSeconds: null },
  ).allowed;
}
