import { leaveConversation } from "@/server/conversations/leave-conversation";
import { userRoute } from "@/server/http/route";

export const POST = userRoute<{ id: string }>(({ user, params }) => leaveConversation(user, params.id));
