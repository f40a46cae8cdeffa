import { setArchived } from "@/server/conversations/archive-conversation";
import { userRoute } from "@/server/http/route";

type Params = { id: string };

export const POST = userRoute<Params>(async ({ user, params }) => ({
  conversation: await setArchived(user, { conversationId: params.id, archived: true }),
}));

export const DELETE = userRoute<Params>(async ({ user, params }) => ({
  conversation: await setArchived(user, { conversationId: params.id, archived: false }),
}));
