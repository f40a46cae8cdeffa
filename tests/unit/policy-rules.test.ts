import { describe, expect, it } from "vitest";
import {
  actions,
  decide,
  decideEveryoneMention,
  decideMessage,
  decideWorkspace,
  type Action,
  type Actor,
  type MessageAction,
  type MessageContext,
  type Target,
} from "@/lib/policy/rules";

const ME = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";
const member: Actor = { id: ME, role: "member" };
const admin: Actor = { id: ME, role: "admin" };

const channel = (over: Partial<Target> = {}): Target => ({
  kind: "channel",
  name: "plans",
  isPrivate: false,
  archived: false,
  isDefault: false,
  createdBy: OTHER,
  isMember: true,
  thread: false,
  ...over,
});

const allowed = (actor: Actor, target: Target) => actions.filter((a) => decide(actor, a, target).allowed);
const codeOf = (actor: Actor, action: Action, target: Target) => {
  const decision = decide(actor, action, target);
  return decision.allowed ? "allowed" : decision.code;
};

describe("decide", () => {
  it("answers not_found for every action on a private channel or a direct message one is not in, admins included", () => {
    for (const target of [
      channel({ isPrivate: true, isMember: false }),
      channel({ kind: "dm", name: null, isMember: false }),
      channel({ kind: "group", name: null, isMember: false }),
    ]) {
      for (const actor of [member, admin]) {
        for (const action of actions) expect(codeOf(actor, action, target)).toBe("not_found");
      }
    }
  });

  it("gives a thread its parent's rights to read, post and mark read, and nothing about members or settings", () => {
    const thread = (over: Partial<Target> = {}) => channel({ ...over, thread: true });
    expect(allowed(member, thread())).toEqual(["view", "read", "post", "markRead"]);
    expect(allowed(admin, thread({ createdBy: ME }))).toEqual(["view", "read", "post", "markRead"]);
    expect(allowed(member, thread({ archived: true }))).toEqual(["view", "read", "markRead"]);
    expect(allowed(member, thread({ isMember: false }))).toEqual(["view"]);
    expect(codeOf(member, "join", thread({ isMember: false }))).toBe("forbidden");
    for (const target of [
      thread({ isPrivate: true, isMember: false }),
      thread({ kind: "dm", name: null, isMember: false }),
    ]) {
      for (const action of actions) expect(codeOf(admin, action, target)).toBe("not_found");
    }
    for (const kind of ["channel", "dm", "group"] as const) {
      for (const action of ["read", "post", "markRead"] as const) {
        for (const over of [{}, { archived: true }, { isMember: false }, { isPrivate: true, isMember: false }]) {
          const parent = channel({ kind, ...over });
          expect(codeOf(member, action, { ...parent, thread: true }), `${kind} ${action}`).toBe(
            codeOf(member, action, parent),
          );
        }
      }
    }
  });

  it("lets a non-member see and join a public channel, and nothing else but what managers may", () => {
    expect(allowed(member, channel({ isMember: false }))).toEqual(["view", "join"]);
    expect(codeOf(member, "read", channel({ isMember: false }))).toBe("forbidden");
    expect(allowed(admin, channel({ isMember: false }))).toEqual([
      "view",
      "join",
      "removeMembers",
      "rename",
      "archive",
      "unarchive",
      "restrictMentions",
    ]);
    expect(codeOf(admin, "makePrivate", channel({ isMember: false }))).toBe("forbidden");
  });

  it("lets a member of someone else's channel read, post, add people, edit the topic and leave", () => {
    expect(allowed(member, channel())).toEqual([
      "view",
      "read",
      "post",
      "markRead",
      "listMembers",
      "join",
      "leave",
      "addMembers",
      "editTopic",
    ]);
  });

  it("gives the creator removing, renaming and archiving, and only an admin making private", () => {
    const mine = channel({ createdBy: ME });
    expect(allowed(member, mine)).toEqual([
      "view",
      "read",
      "post",
      "markRead",
      "listMembers",
      "join",
      "leave",
      "addMembers",
      "removeMembers",
      "rename",
      "editTopic",
      "archive",
      "unarchive",
      "restrictMentions",
    ]);
    expect(decide(admin, "makePrivate", channel()).allowed).toBe(true);
  });

  it("keeps an archived channel readable and read-only, until a manager brings it back", () => {
    const archived = channel({ archived: true, createdBy: ME });
    expect(allowed(member, archived)).toEqual([
      "view",
      "read",
      "markRead",
      "listMembers",
      "leave",
      "archive",
      "unarchive",
    ]);
    expect(codeOf(member, "post", archived)).toBe("forbidden");
  });

  it("keeps everyone in #general, public and unarchived", () => {
    const general = channel({ name: "general", isDefault: true, createdBy: ME });
    for (const action of ["leave", "removeMembers", "archive", "makePrivate"] as const) {
      expect(codeOf(admin, action, general)).toBe("forbidden");
    }
    expect(decide(admin, "rename", general).allowed).toBe(true);
  });

  it("keeps direct and group messages to the people they started with", () => {
    for (const kind of ["dm", "group"] as const) {
      const direct = channel({ kind, name: null, createdBy: ME });
      expect(allowed(admin, direct)).toEqual(["view", "read", "post", "markRead", "listMembers"]);
    }
  });
});

describe("decideMessage", () => {
  const now = Date.parse("2026-12-07T12:00:00Z");
  const mine = { senderId: ME, deleted: false, createdAtMs: now - 10 * 60_000 };
  const theirs = { ...mine, senderId: OTHER };
  const unlimited: MessageContext = { nowMs: now, editWindowSeconds: null };
  const code = (actor: Actor, action: MessageAction, target: Target, message = mine, context = unlimited) => {
    const decision = decideMessage(actor, action, target, message, context);
    return decision.allowed ? "allowed" : decision.code;
  };

  it("lets the sender edit and delete, and an admin delete anyone's but edit only their own", () => {
    expect(code(member, "editMessage", channel())).toBe("allowed");
    expect(code(member, "deleteMessage", channel())).toBe("allowed");
    expect(code(member, "editMessage", channel(), theirs)).toBe("forbidden");
    expect(code(member, "deleteMessage", channel(), theirs)).toBe("forbidden");
    expect(code(admin, "deleteMessage", channel(), theirs)).toBe("allowed");
    expect(code(admin, "editMessage", channel(), theirs)).toBe("forbidden");
  });

  it("needs what posting needs: not_found where one may not know the conversation, forbidden where one may not post", () => {
    expect(code(admin, "deleteMessage", channel({ isPrivate: true, isMember: false }), theirs)).toBe("not_found");
    expect(code(member, "editMessage", channel({ isMember: false }))).toBe("forbidden");
    expect(code(member, "editMessage", channel({ archived: true }))).toBe("forbidden");
    expect(code(admin, "deleteMessage", channel({ archived: true }), theirs)).toBe("forbidden");
  });

  it("lets only the sender remove a link preview, at any time, and anyone who may post react", () => {
    const window = { nowMs: now, editWindowSeconds: 60 };
    expect(code(member, "removePreview", channel(), mine, window)).toBe("allowed");
    expect(code(admin, "removePreview", channel(), theirs)).toBe("forbidden");
    expect(code(member, "react", channel(), theirs)).toBe("allowed");
    expect(code(member, "react", channel({ archived: true }), theirs)).toBe("forbidden");
    expect(code(member, "react", channel(), { ...theirs, deleted: true })).toBe("not_found");
  });

  it("treats a deleted message as gone, but lets whoever could delete it delete it again", () => {
    const deleted = { ...mine, deleted: true };
    expect(code(member, "editMessage", channel(), deleted)).toBe("not_found");
    expect(code(member, "deleteMessage", channel(), deleted)).toBe("allowed");
    expect(code(admin, "deleteMessage", channel(), { ...theirs, deleted: true })).toBe("allowed");
    expect(code(member, "deleteMessage", channel(), { ...theirs, deleted: true })).toBe("forbidden");
  });

  it("keeps edits within the workspace's edit window, and deletes at any time", () => {
    const window = (seconds: number) => ({ nowMs: now, editWindowSeconds: seconds });
    expect(code(member, "editMessage", channel(), mine, window(15 * 60))).toBe("allowed");
    const late = decideMessage(member, "editMessage", channel(), mine, window(5 * 60));
    expect(late).toEqual({
      allowed: false,
      code: "forbidden",
      message: "Messages can be edited for 5 minutes after they are sent",
    });
    expect(code(member, "deleteMessage", channel(), mine, window(60))).toBe("allowed");
    expect(decideMessage(member, "editMessage", channel(), { ...mine, createdAtMs: now }, window(0))).toEqual({
      allowed: false,
      code: "forbidden",
      message: "Messages cannot be edited in this workspace",
    });
  });

  it("lets only an admin change the workspace's settings", () => {
    expect(decideWorkspace(admin, "changeSettings")).toEqual({ allowed: true });
    expect(decideWorkspace(member, "changeSettings")).toMatchObject({ allowed: false, code: "forbidden" });
  });
});

describe("decideEveryoneMention", () => {
  const restricted = { kind: "channel" as const, name: "team", createdBy: OTHER, mentionsRestricted: true };

  it("lets anyone who may post call everyone where the channel does not restrict it", () => {
    expect(decideEveryoneMention(member, { ...restricted, mentionsRestricted: false }).allowed).toBe(true);
  });

  it("keeps @channel and @here for the creator and admins where it does", () => {
    expect(decideEveryoneMention(member, restricted)).toEqual({
      allowed: false,
      code: "forbidden",
      message: "Only the creator of #team or an admin can use @channel and @here there",
    });
    expect(decideEveryoneMention(member, { ...restricted, createdBy: ME }).allowed).toBe(true);
    expect(decideEveryoneMention(admin, restricted).allowed).toBe(true);
  });
});
