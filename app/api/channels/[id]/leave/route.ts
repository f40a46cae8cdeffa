import { leaveChannel } from "@/server/conversations/leave-channel";
import { userRoute } from "@/server/http/route";

export const POST = userRoute<{ id: string }>(({ user, params }) => leaveChannel(user, params.id));
