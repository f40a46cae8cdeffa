import { describe, expect, it } from "vitest";
import { may } from "@/lib/client/permissions";

const creator = { id: "00000000-0000-4000-8000-000000000001", role: "member" as const };
const member = { id: "00000000-0000-4000-8000-000000000002", role: "member" as const };
const admin = { id: "00000000-0000-4000-8000-000000000003", role: "admin" as const };
const channel = {
  kind: "channel" as const,
  name: "plans",
  isPrivate: false,
  archived: false,
  isDefault: false,
  createdBy: creator.id,
};

describe("may", () => {
  it("lets the creator and admins rename, archive and remove, and any member edit the topic", () => {
    for (const action of ["rename", "archive", "removeMembers"] as const) {
      expect([may(creator, action, channel), may(admin, action, channel), may(member, action, channel)]).toEqual([
        true,
        true,
        false,
      ]);
    }
    expect(may(member, "editTopic", channel)).toBe(true);
    expect(may(member, "addMembers", channel)).toBe(true);
  });

  it("keeps everyone in #general and lets only admins make other public channels private", () => {
    const general = { ...channel, name: "general", isDefault: true };
    expect(may(member, "leave", general)).toBe(false);
    expect(may(admin, "makePrivate", general)).toBe(false);
    expect(may(admin, "makePrivate", channel)).toBe(true);
    expect(may(creator, "makePrivate", channel)).toBe(false);
  });

  it("makes an archived channel read-only, with unarchive for those who archived it", () => {
    const archived = { ...channel, archived: true };
    expect(may(member, "post", archived)).toBe(false);
    expect(may(member, "editTopic", archived)).toBe(false);
    expect(may(creator, "unarchive", archived)).toBe(true);
    expect(may(member, "unarchive", archived)).toBe(false);
  });

  it("lets nobody change the people or the name of a direct message", () => {
    const dm = { ...channel, kind: "dm" as const, name: null };
    for (const action of ["addMembers", "removeMembers", "rename", "leave", "editTopic"] as const) {
      expect(may(creator, action, dm)).toBe(false);
    }
  });
});
