import { listMyConversations } from "@/server/conversations/list-my-conversations";
import { userRoute } from "@/server/http/route";

export const GET = userRoute(({ user }) => listMyConversations(user));
