import { postMessageBody } from "@/lib/protocol";
import { listMessages } from "@/server/messages/list-messages";
import { sendMessage } from "@/server/messages/send-message";
import { readJson, searchParams, userRoute } from "@/server/http/route";

type Params = { id: string };

export const GET = userRoute<Params>(({ user, params, request }) =>
  listMessages(user, { ...searchParams(request), conversationId: params.id }),
);

export const POST = userRoute<Params>(
  async ({ user, params, request }) => {
    const body = postMessageBody.parse(await readJson(request));
    return { message: await sendMessage(user, { ...body, conversationId: params.id }) };
  },
  { status: 201 },
);
