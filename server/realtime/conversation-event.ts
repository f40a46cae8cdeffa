import { z } from "zod";
import { changeSchema, messageSchema, type Change, type Message } from "@/lib/protocol";
import { conversationOf } from "@/server/changes/record-change";

/**
 * What happens in a conversation, as it travels between chat servers: a new
 * message, or a change of something that exists. Both take one ordered path,
 * so that an event about a message never overtakes the message.
 */
export type ConversationEvent = { message: Message; parentId?: string } | { change: Change };

export const conversationEventSchema = z.union([
  // parentId: a thread's reply goes to its parent's room.
  z.object({ message: messageSchema, parentId: z.uuid().optional() }),
  z.object({ change: changeSchema }),
]);

export function conversationOfEvent(event: ConversationEvent): string {
  return "message" in event ? event.message.conversationId : conversationOf(event.change.data);
}
