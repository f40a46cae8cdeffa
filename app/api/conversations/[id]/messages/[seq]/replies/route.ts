import { replyBody } from "@/lib/protocol";
import { readJson, userRoute } from "@/server/http/route";
import { replyInThread } from "@/server/threads/reply-in-thread";

type Params = { id: string; seq: string };

export const POST = userRoute<Params>(
  async ({ user, params, request }) => {
    const body = replyBody.parse(await readJson(request));
    return { message: await replyInThread(user, { ...body, conversationId: params.id, rootSeq: params.seq }) };
  },
  { status: 201 },
);
