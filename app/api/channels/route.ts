import { createChannel } from "@/server/conversations/create-channel";
import { listChannels } from "@/server/conversations/list-channels";
import { readJson, userRoute } from "@/server/http/route";

export const GET = userRoute(async ({ user }) => ({ channels: await listChannels(user) }));

export const POST = userRoute(
  async ({ user, request }) => ({ conversation: await createChannel(user, await readJson(request)) }),
  { status: 201 },
);
