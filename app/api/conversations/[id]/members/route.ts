import { addConversationMembers } from "@/server/conversations/add-members";
import { listMembers } from "@/server/conversations/list-members";
import { readJson, userRoute } from "@/server/http/route";

type Params = { id: string };

export const GET = userRoute<Params>(async ({ user, params }) => ({ members: await listMembers(user, params.id) }));

export const POST = userRoute<Params>(async ({ user, params, request }) => ({
  added: await addConversationMembers(user, { conversationId: params.id, body: await readJson(request) }),
}));
