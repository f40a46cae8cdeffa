import { joinChannel } from "@/server/conversations/join-channel";
import { userRoute } from "@/server/http/route";

export const POST = userRoute<{ id: string }>(async ({ user, params }) => ({
  conversation: await joinChannel(user, params.id),
}));
