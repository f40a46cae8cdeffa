import { listMyConversations } from "@/server/conversations/list-my-conversations";
import { userRoute } from "@/server/http/route";

export const GET = userRoute(async ({ user }) => ({ conversations: await listMyConversations(user) }));
