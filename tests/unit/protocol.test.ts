import { describe, expect, it } from "vitest";
import {
  createChannelInput,
  findPeopleInput,
  historyRequest,
  MAX_MESSAGE_LENGTH,
  normalizeChannelName,
  sendMessageInput,
} from "@/lib/protocol";

const ids = {
  conversationId: "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10",
  clientMessageId: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d",
};

describe("channel names", () => {
  it.each([
    ["Team Plans", "team-plans"],
    ["  design", "design"],
    ["team ", "team-"],
    ["Q4 Budget!", "q4-budget"],
    ["--x", "x"],
    ["ünïcode", "ncode"],
  ])("normalizes %j to %j", (input, expected) => {
    expect(normalizeChannelName(input)).toBe(expected);
  });

  it.each(["general", "a", "plan_2027", "x".repeat(80)])("accepts %j", (name) => {
    expect(createChannelInput.safeParse({ name }).success).toBe(true);
  });

  it.each(["", "Has Caps", "has space", "-leading", "x".repeat(81), "emoji🎉"])("refuses %j", (name) => {
    expect(createChannelInput.safeParse({ name }).success).toBe(false);
  });
});

describe("message input", () => {
  it("accepts text up to the limit", () => {
    expect(sendMessageInput.safeParse({ ...ids, text: "x".repeat(MAX_MESSAGE_LENGTH) }).success).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["whitespace only", " \n\t "],
    ["over the limit", "x".repeat(MAX_MESSAGE_LENGTH + 1)],
  ])("refuses %s text", (_, text) => {
    expect(sendMessageInput.safeParse({ ...ids, text }).success).toBe(false);
  });

  it("refuses ids that are not UUIDs", () => {
    expect(sendMessageInput.safeParse({ ...ids, conversationId: "general", text: "hi" }).success).toBe(false);
    expect(sendMessageInput.safeParse({ ...ids, clientMessageId: "1", text: "hi" }).success).toBe(false);
  });
});

describe("history request", () => {
  const { conversationId } = ids;

  it("defaults to the newest 50", () => {
    expect(historyRequest.parse({ conversationId })).toEqual({ conversationId, limit: 50 });
  });

  it("coerces query-string numbers", () => {
    expect(historyRequest.parse({ conversationId, before: "51", limit: "20" })).toEqual({
      conversationId,
      before: 51,
      limit: 20,
    });
  });

  it("refuses before and after together, and a missing conversation", () => {
    expect(historyRequest.safeParse({ conversationId, before: "5", after: "1" }).success).toBe(false);
    expect(historyRequest.safeParse({ before: "5" }).success).toBe(false);
  });
});

describe("free text", () => {
  it("says what is wrong: the wrong type, or too long", () => {
    const message = (input: unknown) => createChannelInput.safeParse(input).error?.issues[0]?.message;
    expect(message({ name: "plans", topic: 7 })).toBe("Topic must be text");
    expect(message({ name: "plans", topic: "x".repeat(251) })).toMatch(/250/);
    expect(findPeopleInput.safeParse({ q: "x".repeat(101) }).error?.issues[0]?.message).toMatch(/100/);
  });
});
