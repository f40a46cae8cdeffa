import { searchParams, userRoute } from "@/server/http/route";
import { listMentions } from "@/server/mentions/list-mentions";

export const GET = userRoute(async ({ user, request }) => listMentions(user, searchParams(request)));
