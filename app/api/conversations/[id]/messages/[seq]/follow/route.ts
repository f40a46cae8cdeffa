import { followThreadBody } from "@/lib/protocol";
import { readJson, userRoute } from "@/server/http/route";
import { followThreadByHand } from "@/server/threads/follow-thread";

type Params = { id: string; seq: string };

export const PUT = userRoute<Params>(async ({ user, params, request }) => {
  const body = followThreadBody.parse(await readJson(request));
  return followThreadByHand(user, { ...body, conversationId: params.id, rootSeq: params.seq });
});
