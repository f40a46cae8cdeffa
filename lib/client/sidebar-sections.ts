import type { Conversation, User } from "@/lib/protocol";
import { unreadCount } from "./engine/slices/conversations";
import { conversationLabel } from "./conversation-names";

export type SidebarSort = "name" | "recent";

export type SidebarEntry = {
  id: string;
  kind: Conversation["kind"];
  label: string;
  isPrivate: boolean;
  /** Shown in bold: something after your read position. */
  unread: boolean;
  /** Unread messages that mention you. */
  mentions: number;
  /** The count badge, as Slack counts: a channel's unread mentions, a direct or group message's unread messages. */
  badge: number;
  /** Something typed there and not sent; the open conversation shows it in its composer instead. */
  draft: boolean;
};

export type SidebarSections = { channels: SidebarEntry[]; directs: SidebarEntry[] };

/**
 * The sidebar's two sections. Archived channels are left out (a link still opens them); a direct or group
 * message shows once it has a message, or you started it, or it is the one open, or you began a draft
 * there, as in Slack, so that someone merely opening a conversation with you does not put it in your list.
 */
export function sidebarSections(
  conversations: readonly Conversation[],
  me: Pick<User, "id" | "name">,
  openId: string | undefined,
  sort: SidebarSort,
  drafts: ReadonlySet<string> = new Set(),
): SidebarSections {
  const channels: (SidebarEntry & { at: string })[] = [];
  const directs: (SidebarEntry & { at: string })[] = [];
  for (const c of conversations) {
    const unread = unreadCount(c);
    const entry = {
      id: c.id,
      kind: c.kind,
      label: conversationLabel(c, me),
      isPrivate: c.isPrivate,
      unread: unread > 0,
      mentions: c.mentionSeqs.length,
      badge: c.kind === "channel" ? c.mentionSeqs.length : unread,
      draft: drafts.has(c.id) && c.id !== openId,
      at: c.lastMessageAt ?? "",
    };
    if (c.kind === "channel") {
      if (!c.archived || c.id === openId) channels.push(entry);
    } else if (c.lastSeq > 0 || c.createdBy === me.id || c.id === openId || drafts.has(c.id)) {
      directs.push(entry);
    }
  }
  const order = sort === "name" ? byLabel : byRecent;
  return { channels: channels.sort(order).map(withoutAt), directs: directs.sort(order).map(withoutAt) };
}

type Sortable = { label: string; at: string };
const byLabel = (a: Sortable, b: Sortable) => a.label.localeCompare(b.label);
const byRecent = (a: Sortable, b: Sortable) => (a.at < b.at ? 1 : a.at > b.at ? -1 : byLabel(a, b));
const withoutAt = ({ at: _at, ...entry }: SidebarEntry & { at: string }): SidebarEntry => entry;
