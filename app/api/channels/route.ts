import { createChannel } from "@/server/conversations/create-channel";
import { listChannels } from "@/server/conversations/list-channels";
import { readJson, searchParams, userRoute } from "@/server/http/route";

export const GET = userRoute(async ({ user, request }) => ({
  channels: await listChannels(user, searchParams(request)),
}));

export const POST = userRoute(
  async ({ user, request }) => ({ conversation: await createChannel(user, await readJson(request)) }),
  { status: 201 },
);
