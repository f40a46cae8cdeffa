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
  deletedAt: null,
  reactions: [],
  linkPreview: null,
  thread: null,
  alsoSentFrom: null,
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

  it("keeps the copy of a message that shows it as it is now, whichever arrives last", () => {
    const original = message(1, "old");
    const edited = { ...message(1, "new"), editedAt: "2026-11-24T10:01:00.000Z" };
    const editedAgain = { ...message(1, "newer"), editedAt: "2026-11-24T10:02:00.000Z" };
    const deleted = { ...message(1, ""), editedAt: edited.editedAt, deletedAt: "2026-11-24T10:03:00.000Z" };
    const texts = (held: Message, incoming: Message) => mergeMessages([held, message(2)], [incoming])[0]!.text;
    expect(texts(original, edited)).toBe("new");
    // A page read before the edit, arriving after it, does not undo it.
    expect(texts(edited, original)).toBe("new");
    expect(texts(editedAgain, edited)).toBe("newer");
    expect(texts(edited, deleted)).toBe("");
    expect(texts(deleted, editedAgain)).toBe("");
  });

  it("returns the same list when nothing comes in", () => {
    const current = [message(1)];
    expect(mergeMessages(current, [])).toBe(current);
  });
});
