import type { Reaction } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { setReaction } from "./set-reaction";

/** Takes back one's reaction with an emoji; the answer is the message's reactions now. */
export function removeReaction(user: SessionUser, input: unknown): Promise<Reaction[]> {
  return setReaction(user, input, false);
}
