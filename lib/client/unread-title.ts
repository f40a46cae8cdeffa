import type { Conversation } from "@/lib/protocol";
import { unreadCount } from "./engine/slices/conversations";

/**
 * The tab's title, as Slack's carries unread: "(3) Acme | Parley" with the unread direct and group
 * messages counted (what Slack badges), "* Acme | Parley" when only channels have something unread.
 */
export function unreadTitle(
  conversations: readonly Pick<Conversation, "kind" | "lastSeq" | "lastReadSeq">[],
  workspace: string,
): string {
  let directs = 0;
  let channels = false;
  for (const c of conversations) {
    const unread = unreadCount(c);
    if (c.kind === "channel") channels ||= unread > 0;
    else directs += unread;
  }
  const prefix = directs > 0 ? `(${directs}) ` : channels ? "* " : "";
  return `${prefix}${workspace} | Parley`;
}
