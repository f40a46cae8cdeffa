import { joinConversation } from "@/server/conversations/join-conversation";
import { userRoute } from "@/server/http/route";

export const POST = userRoute<{ id: string }>(async ({ user, params }) => ({
  conversation: await joinConversation(user, params.id),
}));
