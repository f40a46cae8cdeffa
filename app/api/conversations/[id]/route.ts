import { getConversation } from "@/server/conversations/get-conversation";
import { updateConversation } from "@/server/conversations/update-conversation";
import { readJson, userRoute } from "@/server/http/route";

type Params = { id: string };

export const GET = userRoute<Params>(({ user, params }) => getConversation(user, params.id));

export const PATCH = userRoute<Params>(async ({ user, params, request }) => ({
  conversation: await updateConversation(user, { conversationId: params.id, body: await readJson(request) }),
}));
