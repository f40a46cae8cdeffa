import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { countNewFromOthers, lastOwnMessage, toRows } from "@/lib/client/message-rows";
import type { OutboxItem } from "@/lib/client/engine/outbox-storage";

const conversationId = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";
const me = { id: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d", name: "Me" };
const other = { id: "1c6c7d2f-2e3a-4b4c-9d5e-6f7a8b9c0d1e", name: "Other" };

const message = (seq: number, sender = me, minute = 0): Message => ({
  id: String(seq),
  conversationId,
  seq,
  sender,
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  text: `m${seq}`,
  createdAt: `2026-11-24T10:${String(minute).padStart(2, "0")}:00.000Z`,
  editedAt: null,
  deletedAt: null,
  reactions: [],
  linkPreview: null,
});

const pending = (n: number, minute = 0): OutboxItem => ({
  clientMessageId: `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`,
  conversationId,
  text: `p${n}`,
  createdAt: `2026-11-24T10:${String(minute).padStart(2, "0")}:30.000Z`,
  status: "pending",
});

const shape = (rows: ReturnType<typeof toRows>) =>
  rows.map((r) => [r.kind === "message" ? r.message.text : r.item.text, r.continued]);

describe("toRows", () => {
  it("groups messages from one person within five minutes", () => {
    const rows = toRows([message(1), message(2), message(3, other), message(4, other, 10)], [], conversationId, me);
    expect(shape(rows)).toEqual([
      ["m1", false],
      ["m2", true],
      ["m3", false],
      ["m4", false],
    ]);
  });

  it("groups a pending message as the stored message it becomes, so its height does not change", () => {
    const before = toRows([message(1)], [pending(2)], conversationId, me);
    expect(shape(before)).toEqual([
      ["m1", false],
      ["p2", true],
    ]);
    const after = toRows([message(1), { ...message(2), text: "p2" }], [], conversationId, me);
    expect(after[1]!.continued).toBe(before[1]!.continued);
  });

  it("starts a new group for a pending message after someone else's", () => {
    expect(shape(toRows([message(1, other)], [pending(2), pending(3)], conversationId, me))).toEqual([
      ["m1", false],
      ["p2", false],
      ["p3", true],
    ]);
  });

  it("leaves out pending messages of other conversations and ones already stored", () => {
    const stored = message(1);
    const sent = { ...pending(1), clientMessageId: stored.clientMessageId };
    const elsewhere = { ...pending(2), conversationId: "9a1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10" };
    expect(shape(toRows([stored], [sent, elsewhere], conversationId, me))).toEqual([["m1", false]]);
  });
});

describe("day dividers in toRows", () => {
  /** A message at a local time of day, so that days are the test's whatever its time zone. */
  const at = (seq: number, sender: typeof me, day: number, hour: number, minute: number): Message => ({
    ...message(seq, sender),
    createdAt: new Date(2026, 10, day, hour, minute).toISOString(),
  });
  const days = (rows: ReturnType<typeof toRows>) =>
    rows.map((r) => [r.kind === "message" ? r.message.text : r.item.text, r.newDay, r.continued]);

  it("starts the first row and each new local day under a divider, and never groups across one", () => {
    const rows = toRows(
      [at(1, me, 23, 23, 57), at(2, me, 23, 23, 59), at(3, me, 24, 0, 1), at(4, other, 24, 9, 0)],
      [],
      conversationId,
      me,
    );
    expect(days(rows)).toEqual([
      ["m1", true, false],
      ["m2", false, true],
      ["m3", true, false],
      ["m4", false, false],
    ]);
  });

  it("puts a pending message of a new day under a divider too", () => {
    const late = { ...pending(2), createdAt: new Date(2026, 10, 24, 0, 1).toISOString() };
    expect(days(toRows([at(1, me, 23, 23, 59)], [late], conversationId, me))).toEqual([
      ["m1", true, false],
      ["p2", true, false],
    ]);
  });
});

describe("countNewFromOthers", () => {
  it("counts messages from others after the last one seen", () => {
    const messages = [message(1, other), message(2, other), message(3, me), message(4, other), message(5, other)];
    expect(countNewFromOthers(messages, 2, me)).toBe(2);
    expect(countNewFromOthers(messages, 5, me)).toBe(0);
    expect(countNewFromOthers(messages, 0, me)).toBe(4);
  });
});

describe("lastOwnMessage", () => {
  it("is the newest message of this person that is not deleted", () => {
    const deleted = { ...message(4), deletedAt: "2026-12-07T00:00:00.000Z", text: "" };
    expect(lastOwnMessage([message(1), message(2, other), message(3), deleted, message(5, other)], me)?.seq).toBe(3);
    expect(lastOwnMessage([message(1, other)], me)).toBeUndefined();
  });
});
