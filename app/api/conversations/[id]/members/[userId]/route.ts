import { removeConversationMember } from "@/server/conversations/remove-member";
import { userRoute } from "@/server/http/route";

export const DELETE = userRoute<{ id: string; userId: string }>(({ user, params }) =>
  removeConversationMember(user, { conversationId: params.id, userId: params.userId }),
);
