import { describe, expect, it } from "vitest";
import { actions, decide, type Action, type Actor, type Target } from "@/lib/policy/rules";

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
