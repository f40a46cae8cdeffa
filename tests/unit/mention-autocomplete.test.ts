import { describe, expect, it } from "vitest";
import {
  chosenMention,
  decodeMentions,
  distinctLabel,
  encodeMentions,
  insertMention,
  mentionOptions,
  mentionQuery,
  offersEveryone,
} from "@/lib/client/mention-autocomplete";

const ann = { id: "00000000-0000-4000-8000-00000000000a", name: "Ann Archer" };
const alice = { id: "00000000-0000-4000-8000-00000000000b", name: "Alice" };
const ben = { id: "00000000-0000-4000-8000-00000000000c", name: "Ben Alder" };
const abe = { id: "00000000-0000-4000-8000-00000000000d", name: "Abe" };

describe("mentionQuery", () => {
  it("finds the word after an @ that starts a word, up to the caret", () => {
    expect(mentionQuery("hi @Al", 6)).toEqual({ start: 3, query: "Al" });
    expect(mentionQuery("@", 1)).toEqual({ start: 0, query: "" });
    expect(mentionQuery("hi @Al there", 6)).toEqual({ start: 3, query: "Al" });
  });

  it("ignores an @ inside a word, after a space, or none at all", () => {
    expect(mentionQuery("mail ann@example", 16)).toBeNull();
    expect(mentionQuery("hi @Al ", 7)).toBeNull();
    expect(mentionQuery("hello", 5)).toBeNull();
  });
});

describe("mentionOptions", () => {
  it("offers members first, then others, each by name, matching any word of the name", () => {
    const options = mentionOptions("a", [ben, alice], [abe, ann, alice], { everyone: false });
    expect(options.map((o) => (o.kind === "person" ? [o.name, o.member] : o.scope))).toEqual([
      ["Alice", true],
      ["Ben Alder", true],
      ["Abe", false],
      ["Ann Archer", false],
    ]);
  });

  it("filters as typed, case-insensitively, and leaves out the person typing", () => {
    const names = (q: string) =>
      mentionOptions(q, [alice, ben], [ann], { everyone: false, excludeId: alice.id }).map((o) =>
        o.kind === "person" ? o.name : o.scope,
      );
    expect(names("ARC")).toEqual(["Ann Archer"]);
    expect(names("al")).toEqual(["Ben Alder"]);
    expect(names("zed")).toEqual([]);
  });

  it("offers @channel and @here in channels only, last", () => {
    expect(
      mentionOptions("", [alice], [], { everyone: true }).map((o) => (o.kind === "person" ? o.name : o.scope)),
    ).toEqual(["Alice", "channel", "here"]);
    expect(mentionOptions("he", [alice], [], { everyone: true })).toEqual([{ kind: "everyone", scope: "here" }]);
    expect(mentionOptions("he", [alice], [], { everyone: false })).toEqual([]);
  });
});

describe("choosing a mention", () => {
  it("replaces the query with the name and a space, and puts the caret after it", () => {
    const chosen = chosenMention({ kind: "person", id: ann.id, name: ann.name, member: true });
    expect(insertMention("hi @An and", 3, 6, chosen)).toEqual({ text: "hi @Ann Archer  and", caret: 15 });
  });

  it("sends each chosen name as its token, the longest first, and leaves other text alone", () => {
    const annie = { label: "@Ann", token: "<@00000000-0000-4000-8000-0000000000ff>" };
    const chosen = [annie, chosenMention({ kind: "person", id: ann.id, name: ann.name, member: true })];
    const everyone = chosenMention({ kind: "everyone", scope: "here" });
    expect(encodeMentions("@Ann Archer and @Ann, @Annie @here", [...chosen, everyone])).toBe(
      `<@${ann.id}> and ${annie.token}, @Annie <!here>`,
    );
    expect(encodeMentions("plain @Ann", [])).toBe("plain @Ann");
  });

  it("labels a second person of a name already chosen apart, and the same person alike", () => {
    const first = chosenMention({ kind: "person", id: ann.id, name: "Sam Lee", member: true });
    const other = { label: "@Sam Lee", token: "<@00000000-0000-4000-8000-0000000000aa>" };
    expect(distinctLabel(first, [])).toEqual(first);
    expect(distinctLabel(first, [first])).toEqual(first);
    expect(distinctLabel(other, [first])).toEqual({ ...other, label: "@Sam Lee (2)" });
    const third = { label: "@Sam Lee", token: "<@00000000-0000-4000-8000-0000000000bb>" };
    expect(distinctLabel(third, [first, { ...other, label: "@Sam Lee (2)" }]).label).toBe("@Sam Lee (3)");
  });

  it("takes the later of two mentions under one name: the one chosen over a member's typed name", () => {
    const member = { label: "@Ann", token: "<@00000000-0000-4000-8000-000000000001>" };
    const chosen = { label: "@Ann", token: "<@00000000-0000-4000-8000-000000000002>" };
    expect(encodeMentions("hi @Ann", [member, chosen])).toBe(`hi ${chosen.token}`);
  });
});

describe("decodeMentions", () => {
  const names: Record<string, string> = { [ann.id]: ann.name, [alice.id]: alice.name };
  const nameOf = (id: string) => names[id];

  it("shows known people and @channel, @here as the composer does, and encodes back to the same text", () => {
    const stored = `<@${ann.id}> and <@${alice.id}>, <!here> re <@${ann.id}>`;
    const { text, chosen } = decodeMentions(stored, nameOf);
    expect(text).toBe("@Ann Archer and @Alice, @here re @Ann Archer");
    expect(chosen).toHaveLength(3);
    expect(encodeMentions(text, chosen)).toBe(stored);
  });

  it("tells apart two people of one name, so that saving keeps each one's mention", () => {
    const twin = "00000000-0000-4000-8000-0000000000aa";
    const stored = `<@${ann.id}> meet <@${twin}>, and <@${ann.id}> again`;
    const { text, chosen } = decodeMentions(stored, (id) => (id === twin ? ann.name : nameOf(id)));
    expect(text).toBe("@Ann Archer meet @Ann Archer (2), and @Ann Archer again");
    expect(encodeMentions(text, chosen)).toBe(stored);
  });

  it("keeps the token of someone whose name it does not know, so that saving keeps the mention", () => {
    const stored = `hi <@${ben.id}> and <@${alice.id}>`;
    const { text, chosen } = decodeMentions(stored, nameOf);
    expect(text).toBe(`hi <@${ben.id}> and @Alice`);
    expect(encodeMentions(text, chosen)).toBe(stored);
    expect(decodeMentions("no mentions <@not-an-id>", nameOf)).toEqual({
      text: "no mentions <@not-an-id>",
      chosen: [],
    });
  });
});

describe("offersEveryone", () => {
  const member = { id: alice.id, role: "member" as const };
  const admin = { id: abe.id, role: "admin" as const };
  const channel = { kind: "channel", name: "ops", createdBy: ann.id, mentionsRestricted: false };
  const restricted = { ...channel, mentionsRestricted: true };

  it("offers @channel and @here in a channel, unless its rules keep them for its creator and admins", () => {
    expect(offersEveryone(member, channel, false)).toBe(true);
    expect(offersEveryone(member, restricted, false)).toBe(false);
    expect(offersEveryone(admin, restricted, false)).toBe(true);
    expect(offersEveryone({ id: ann.id, role: "member" }, restricted, false)).toBe(true);
  });

  it("never offers them in a thread's reply, a direct message, or before the conversation is known", () => {
    expect(offersEveryone(admin, channel, true)).toBe(false);
    expect(offersEveryone(member, { ...channel, kind: "dm" }, false)).toBe(false);
    expect(offersEveryone(member, undefined, false)).toBe(false);
  });
});
