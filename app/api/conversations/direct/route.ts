import { openDirect } from "@/server/conversations/open-direct";
import { readJson, userRoute } from "@/server/http/route";

export const POST = userRoute(async ({ user, request }) => ({
  conversation: await openDirect(user, await readJson(request)),
}));
