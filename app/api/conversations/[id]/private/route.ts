import { makePrivate } from "@/server/conversations/make-private";
import { userRoute } from "@/server/http/route";

export const POST = userRoute<{ id: string }>(async ({ user, params }) => ({
  conversation: await makePrivate(user, params.id),
}));
