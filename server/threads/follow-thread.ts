import { followThreadInput } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { AppError } from "@/server/errors";
import { followThread as addFollow, unfollowThread } from "./follows";
import { findThread, lockRoot, openThread, toOwnThread } from "./open-thread";

/**
 * Follows a message's thread by hand (anyone who may read its conversation; the thread is made when
 * nobody has replied yet), starting with every reply so far read, or stops following it.
 */
export async function followThreadByHand(
  user: SessionUser,
  input: unknown,
): Promise<{ threadId: string | null; following: boolean }> {
  const named = followThreadInput.parse(input);
  return changing(async (tx, record) => {
    const data = await toOwnThread(tx, named);
    const { root } = await lockRoot(tx, user, data, "read");
    if (data.following) {
      if (root.deletedAt) throw new AppError("not_found", "This message was deleted");
      const thread = await openThread(tx, root.conversationId, root.seq);
      await record.users(await addFollow(tx, thread, [user.id], thread.lastSeq));
      return { threadId: thread.id, following: true };
    }
    const thread = await findThread(tx, root.conversationId, root.seq);
    if (!thread) return { threadId: null, following: false };
    await record.users(await unfollowThread(tx, thread, user.id));
    return { threadId: thread.id, following: false };
  });
}
