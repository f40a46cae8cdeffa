import { sidebarJson } from "@/server/conversations/list-my-conversations";
import { JsonText, userRoute } from "@/server/http/route";

export const GET = userRoute(async ({ user }) => new JsonText(await sidebarJson(user)));
