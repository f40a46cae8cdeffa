import { editMessageBody } from "@/lib/protocol";
import { deleteMessage } from "@/server/messages/delete-message";
import { editMessage } from "@/server/messages/edit-message";
import { readJson, userRoute } from "@/server/http/route";

type Params = { id: string; seq: string };

export const PATCH = userRoute<Params>(async ({ user, params, request }) => {
  const body = editMessageBody.parse(await readJson(request));
  return { message: await editMessage(user, { ...body, conversationId: params.id, seq: params.seq }) };
});

export const DELETE = userRoute<Params>(async ({ user, params }) => ({
  message: await deleteMessage(user, { conversationId: params.id, seq: params.seq }),
}));
