import type { Reaction } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { setReaction } from "./set-reaction";

/** Reacts to a message with an emoji; the answer is the message's reactions now. */
export function addReaction(user: SessionUser, input: unknown): Promise<Reaction[]> {
  return setReaction(user, input, true);
}
