import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { mergeMessages } from "@/lib/client/merge-messages";

const message = (seq: number, text = `m${seq}`): Message => ({
  id: String(seq),
  conversationId: "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10",
  seq,
  sender: { id: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d", name: "Ana" },
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  text,
  createdAt: "2026-11-24T10:00:00.000Z",
  editedAt: null,
});

const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe("mergeMessages", () => {
  it("appends a newer message", () => {
    expect(seqs(mergeMessages([message(1), message(2)], [message(3)]))).toEqual([1, 2, 3]);
  });

  it("keeps one copy when the ack and the live event both arrive", () => {
    const once = mergeMessages([message(1)], [message(2)]);
    expect(seqs(mergeMessages(once, [message(2)]))).toEqual([1, 2]);
  });

  it("orders by sequence number whatever the arrival order", () => {
    const merged = mergeMessages([message(5)], [message(3), message(7), message(4), message(6)]);
    expect(seqs(merged)).toEqual([3, 4, 5, 6, 7]);
  });

  it("prepends an older page", () => {
    const newest = [message(51), message(52)];
    const older = Array.from({ length: 50 }, (_, i) => message(i + 1));
    expect(seqs(mergeMessages(newest, older))).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
  });

  it("takes the later copy of a message held twice", () => {
    const merged = mergeMessages([message(1, "old")], [message(1, "new")]);
    expect(merged.map((m) => m.text)).toEqual(["new"]);
  });

  it("returns the same list when nothing comes in", () => {
    const current = [message(1)];
    expect(mergeMessages(current, [])).toBe(current);
  });
});
