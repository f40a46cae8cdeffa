import { describe, expect, it } from "vitest";
import { mentionsOf, mentionsUser } from "@/lib/markdown/mentions";

const ANN = "0b6f1a52-9c1e-4d7a-8f3e-2a9b7c6d5e41";
const BO = "1c7a2b63-0d2f-4e8b-9a4f-3b0c8d7e6f52";
const CHANNEL = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";

describe("mentionsOf", () => {
  it("finds nothing in plain text", () => {
    expect(mentionsOf("hello @ann, see #general")).toEqual({ userIds: [], channel: false, here: false });
  });

  it("lists each person once, in order, and notes @channel and @here", () => {
    expect(mentionsOf(`<@${BO}> <@${ANN}> and <@${BO}> again <!here>`)).toEqual({
      userIds: [BO, ANN],
      channel: false,
      here: true,
    });
    expect(mentionsOf("<!channel>")).toEqual({ userIds: [], channel: true, here: false });
  });

  it("does not count a channel token as a person", () => {
    expect(mentionsOf(`<#${CHANNEL}>`)).toEqual({ userIds: [], channel: false, here: false });
  });

  it("reads ids case-insensitively as lower case", () => {
    expect(mentionsOf(`<@${ANN.toUpperCase()}>`).userIds).toEqual([ANN]);
  });

  it("finds mentions in quotes, lists and formatting", () => {
    expect(mentionsOf(`> <@${ANN}>\n\n- **<@${BO}>**`).userIds).toEqual([ANN, BO]);
  });

  it("ignores tokens in code spans and code blocks", () => {
    expect(mentionsOf(`\`<@${ANN}>\` \`<!channel>\`\n\`\`\`\n<@${BO}> <!here>\n\`\`\``)).toEqual({
      userIds: [],
      channel: false,
      here: false,
    });
  });

  it("ignores malformed tokens", () => {
    expect(mentionsOf(`<@${ANN.slice(1)}> <@"><img src=x onerror=alert(1)> <!everyone>`)).toEqual({
      userIds: [],
      channel: false,
      here: false,
    });
  });
});

describe("mentionsUser", () => {
  it("is true for the person's own token and for @channel or @here", () => {
    expect(mentionsUser(`hi <@${ANN}>`, ANN)).toBe(true);
    expect(mentionsUser(`hi <@${BO}>`, ANN)).toBe(false);
    expect(mentionsUser("<!here> standup", ANN)).toBe(true);
    expect(mentionsUser("<!channel> standup", ANN)).toBe(true);
    expect(mentionsUser(`\`<@${ANN}>\``, ANN)).toBe(false);
  });
});
