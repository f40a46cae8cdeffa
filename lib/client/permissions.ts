import type { Conversation, User } from "@/lib/protocol";
import { decide, type Action } from "@/lib/policy/rules";

/**
 * Whether the person may do `action` in a conversation they are in, by the server's own rules (a pure
 * module, shared rather than copied so the two cannot drift): the chat hides what would be refused.
 */
export function may(
  user: Pick<User, "id" | "role">,
  action: Action,
  conversation: Pick<Conversation, "kind" | "name" | "isPrivate" | "archived" | "isDefault" | "createdBy">,
): boolean {
  return decide(user, action, { ...conversation, isMember: true }).allowed;
}
