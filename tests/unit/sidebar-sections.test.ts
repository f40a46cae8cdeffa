import { describe, expect, it } from "vitest";
import type { Conversation } from "@/lib/protocol";
import { conversationLabel } from "@/lib/client/conversation-names";
import { sidebarSections } from "@/lib/client/sidebar-sections";
import { unreadTitle } from "@/lib/client/unread-title";

const me = { id: "00000000-0000-4000-8000-000000000001", name: "Mia Moss" };
const ann = { id: "00000000-0000-4000-8000-000000000002", name: "Ann Archer" };
const ben = { id: "00000000-0000-4000-8000-000000000003", name: "Ben Bloom" };

let next = 0;
function conversation(fields: Partial<Conversation>): Conversation {
  next++;
  return {
    id: `00000000-0000-4000-9000-${String(next).padStart(12, "0")}`,
    kind: "channel",
    name: `c${next}`,
    topic: "",
    description: "",
    isPrivate: false,
    archived: false,
    isDefault: false,
    createdBy: ann.id,
    memberCount: 2,
    mentionsRestricted: false,
    members: [],
    lastSeq: 0,
    lastReadSeq: 0,
    mentionSeqs: [],
    changeSeq: 0,
    lastMessageAt: null,
    ...fields,
  };
}

describe("conversationLabel", () => {
  it("names a direct message by the other person, a notepad by you, a group by the others' first names", () => {
    expect(conversationLabel({ kind: "channel", name: "general", members: [] }, me)).toBe("general");
    expect(conversationLabel({ kind: "dm", name: null, members: [me, ann] }, me)).toBe("Ann Archer");
    expect(conversationLabel({ kind: "dm", name: null, members: [me] }, me)).toBe("Mia Moss (you)");
    expect(conversationLabel({ kind: "group", name: null, members: [ann, me, ben] }, me)).toBe("Ann, Ben");
  });
});

describe("sidebarSections", () => {
  it("puts channels and direct messages apart and leaves archived channels out unless open", () => {
    const general = conversation({ name: "general" });
    const archived = conversation({ name: "old", archived: true });
    const dm = conversation({ kind: "dm", name: null, members: [me, ann], lastSeq: 1 });
    const { channels, directs } = sidebarSections([general, archived, dm], me, undefined, "name");
    expect(channels.map((c) => c.label)).toEqual(["general"]);
    expect(directs.map((c) => c.label)).toEqual(["Ann Archer"]);
    expect(sidebarSections([general, archived], me, archived.id, "name").channels.map((c) => c.label)).toEqual([
      "general",
      "old",
    ]);
  });

  it("shows a direct message once it has a message, you started it, or it is open", () => {
    const silentByOther = conversation({ kind: "dm", name: null, members: [me, ann], createdBy: ann.id });
    const startedByMe = conversation({ kind: "dm", name: null, members: [me, ben], createdBy: me.id });
    const labels = (openId?: string) =>
      sidebarSections([silentByOther, startedByMe], me, openId, "name").directs.map((d) => d.label);
    expect(labels()).toEqual(["Ben Bloom"]);
    expect(labels(silentByOther.id)).toEqual(["Ann Archer", "Ben Bloom"]);
  });

  it("badges unread direct messages with their count and marks unread channels without one", () => {
    const channel = conversation({ lastSeq: 5, lastReadSeq: 3 });
    const dm = conversation({ kind: "dm", name: null, members: [me, ann], lastSeq: 4, lastReadSeq: 1 });
    const read = conversation({ kind: "group", name: null, members: [me, ann, ben], lastSeq: 2, lastReadSeq: 2 });
    const { channels, directs } = sidebarSections([channel, dm, read], me, undefined, "name");
    expect(channels[0]).toMatchObject({ unread: true, badge: 0 });
    expect(directs.map((d) => [d.label, d.unread, d.badge])).toEqual([
      ["Ann Archer", true, 3],
      ["Ann, Ben", false, 0],
    ]);
  });

  it("badges a channel with its unread mentions only", () => {
    const mentioned = conversation({ name: "a", lastSeq: 9, lastReadSeq: 3, mentionSeqs: [5, 8] });
    const quiet = conversation({ name: "b", lastSeq: 9, lastReadSeq: 3 });
    const { channels } = sidebarSections([mentioned, quiet], me, undefined, "name");
    expect(channels.map((c) => [c.label, c.unread, c.mentions, c.badge])).toEqual([
      ["a", true, 2, 2],
      ["b", true, 0, 0],
    ]);
  });

  it("marks conversations with a draft, except the open one, and lists a direct message once drafted", () => {
    const general = conversation({ name: "general" });
    const open = conversation({ name: "open" });
    const silent = conversation({ kind: "dm", name: null, members: [me, ann], createdBy: ann.id });
    const drafts = new Set([general.id, open.id, silent.id]);
    const { channels, directs } = sidebarSections([general, open, silent], me, open.id, "name", drafts);
    expect(channels.map((c) => [c.label, c.draft])).toEqual([
      ["general", true],
      ["open", false],
    ]);
    expect(directs.map((d) => [d.label, d.draft])).toEqual([["Ann Archer", true]]);
    expect(sidebarSections([general, silent], me, undefined, "name").directs).toEqual([]);
    expect(sidebarSections([general], me, undefined, "name").channels[0]!.draft).toBe(false);
  });

  it("sorts by name, or by recent activity with the silent last", () => {
    const a = conversation({ name: "alpha", lastMessageAt: "2026-12-01T10:00:00.000Z" });
    const b = conversation({ name: "beta", lastMessageAt: "2026-12-02T10:00:00.000Z" });
    const c = conversation({ name: "gamma", lastMessageAt: null });
    const order = (sort: "name" | "recent") =>
      sidebarSections([c, b, a], me, undefined, sort).channels.map((x) => x.label);
    expect(order("name")).toEqual(["alpha", "beta", "gamma"]);
    expect(order("recent")).toEqual(["beta", "alpha", "gamma"]);
  });
});

describe("unreadTitle", () => {
  it("counts unread direct and group messages, and shows a star when only channels are unread", () => {
    const channel = conversation({ lastSeq: 5, lastReadSeq: 3 });
    const dm = conversation({ kind: "dm", lastSeq: 4, lastReadSeq: 1 });
    const group = conversation({ kind: "group", lastSeq: 2, lastReadSeq: 1 });
    expect(unreadTitle([channel, dm, group], "Acme")).toBe("(4) Acme | Parley");
    expect(unreadTitle([channel], "Acme")).toBe("* Acme | Parley");
    expect(unreadTitle([conversation({ lastSeq: 2, lastReadSeq: 2 })], "Acme")).toBe("Acme | Parley");
  });
});
