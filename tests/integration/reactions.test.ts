import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeEmoji } from "@/lib/emoji/catalog";
import type { Change } from "@/lib/protocol";
import { MAX_REACTION_KINDS } from "@/lib/protocol/reactions";
import { createChannel, fullHistory, joinChannel, openDirect, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestServer } from "../helpers/server";
import { captureChanges, captureEvents, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

const fast = { SOCKET_WRITES_PER_SECOND: "1000" };

describe("reactions", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let alicePhone: ClientSocket;
  let bobSocket: ClientSocket;
  let channel: string;

  const react = (socket: ClientSocket, conversationId: string, seq: number, emoji: unknown, present = true) =>
    emitWithAck(socket, present ? "reaction:add" : "reaction:remove", { conversationId, seq, emoji } as never);

  beforeAll(async () => {
    server = await startTestServer({ env: fast });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("react"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    aliceSocket = await connectSocket(server.url, alice.cookie);
    alicePhone = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    for (const socket of [aliceSocket, alicePhone, bobSocket]) socket?.close();
    await server?.close();
  });

  it("shows a reaction to every member live, and in history", async () => {
    const sent = await sendMessage(aliceSocket, channel, "ship it?");
    const heard = captureChanges(aliceSocket, "reactions");
    const ack = await react(bobSocket, channel, sent.seq, "🎉");
    expect(ack.ok && ack.data).toEqual([{ emoji: "🎉", userIds: [bob.user.id] }]);
    const [change] = await heard.waitFor(1);
    expect(change!.data).toEqual({
      kind: "reactions",
      conversationId: channel,
      seq: sent.seq,
      reactions: [{ emoji: "🎉", userIds: [bob.user.id] }],
    });
    const stored = (await fullHistory(server.url, alice.cookie, channel)).find((m) => m.seq === sent.seq);
    expect(stored?.reactions).toEqual([{ emoji: "🎉", userIds: [bob.user.id] }]);
  });

  it("counts a person once per emoji, even when two of their devices react at once", async () => {
    const sent = await sendMessage(bobSocket, channel, "lunch?");
    const acks = await Promise.all([
      react(aliceSocket, channel, sent.seq, "👍"),
      react(alicePhone, channel, sent.seq, "👍️"),
      react(aliceSocket, channel, sent.seq, "👍"),
    ]);
    expect(acks.every((a) => a.ok)).toBe(true);
    const stored = (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === sent.seq);
    // With or without U+FE0F, the same emoji: stored in one form.
    expect(stored?.reactions).toEqual([{ emoji: "👍️", userIds: [alice.user.id] }]);
  });

  it("takes a reaction back, keeps the others, and records nothing for a toggle that changes nothing", async () => {
    const sent = await sendMessage(bobSocket, channel, "vote");
    const heard = captureChanges(bobSocket, "reactions");
    await react(aliceSocket, channel, sent.seq, "✅");
    await react(bobSocket, channel, sent.seq, "✅");
    await react(bobSocket, channel, sent.seq, "❌");
    const about = (changes: readonly Change[]) =>
      changes.filter((c) => c.data.kind === "reactions" && c.data.seq === sent.seq);
    await expect.poll(() => about(heard.events).length).toBe(3);
    const removed = await react(aliceSocket, channel, sent.seq, "✅", false);
    expect(removed.ok && removed.data).toEqual([
      { emoji: normalizeEmoji("✅"), userIds: [bob.user.id] },
      { emoji: normalizeEmoji("❌"), userIds: [bob.user.id] },
    ]);
    const again = await react(aliceSocket, channel, sent.seq, "✅", false);
    expect(again.ok).toBe(true);
    // Three reactions and one taken back: the second take-back changed nothing.
    expect(about(await heard.settle(300))).toHaveLength(4);
  });

  it("refuses bad reactions with a clear error, storing nothing", async () => {
    const sent = await sendMessage(aliceSocket, channel, "target");
    const gone = await sendMessage(aliceSocket, channel, "gone");
    await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: gone.seq });
    const hidden = (await createChannel(server.url, alice.cookie, uniqueChannelName("hidden"), { isPrivate: true })).id;
    const secret = await sendMessage(aliceSocket, hidden, "secret");
    const dm = (await openDirect(server.url, alice.cookie, [alice.user.id])).id;
    const note = await sendMessage(aliceSocket, dm, "note to self");
    const archived = (await createChannel(server.url, bob.cookie, uniqueChannelName("old"))).id;
    const old = await sendMessage(bobSocket, archived, "old news");
    await api(server.url, bob.cookie).post(`/api/conversations/${archived}/archive`);
    const codes = async (ack: ReturnType<typeof react>) => {
      const answer = await ack;
      return answer.ok ? "ok" : answer.error.code;
    };
    expect({
      "an unknown emoji": await codes(react(bobSocket, channel, sent.seq, ":notanemoji:")),
      text: await codes(react(bobSocket, channel, sent.seq, "yes")),
      "two emoji": await codes(react(bobSocket, channel, sent.seq, "🎉🎉")),
      "not a string": await codes(react(bobSocket, channel, sent.seq, 7)),
      "a deleted message": await codes(react(bobSocket, channel, gone.seq, "🎉")),
      "an unknown message": await codes(react(bobSocket, channel, 999_999, "🎉")),
      "a private channel one is not in": await codes(react(bobSocket, hidden, secret.seq, "🎉")),
      "another person's notepad": await codes(react(bobSocket, dm, note.seq, "🎉")),
      "an archived channel": await codes(react(bobSocket, archived, old.seq, "🎉")),
    }).toEqual({
      "an unknown emoji": "bad_request",
      text: "bad_request",
      "two emoji": "bad_request",
      "not a string": "bad_request",
      "a deleted message": "not_found",
      "an unknown message": "not_found",
      "a private channel one is not in": "not_found",
      "another person's notepad": "not_found",
      "an archived channel": "forbidden",
    });
    const history = await fullHistory(server.url, alice.cookie, channel);
    expect(history.filter((m) => m.seq >= sent.seq).flatMap((m) => m.reactions)).toEqual([]);
  });

  it(`holds at most ${MAX_REACTION_KINDS} different emoji on a message`, async () => {
    const sent = await sendMessage(aliceSocket, channel, "so many");
    const emoji = [
      ..."😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛😝😜🤪🤨🧐🤓😎🤩🥳😏😒😞😔😟😕🙁😣😖😫😩🥺😢😭😤😠😡🤬🤯😳",
    ];
    expect(emoji.length).toBeGreaterThan(MAX_REACTION_KINDS);
    for (const e of emoji.slice(0, MAX_REACTION_KINDS))
      expect((await react(aliceSocket, channel, sent.seq, e)).ok).toBe(true);
    const over = await react(aliceSocket, channel, sent.seq, emoji[MAX_REACTION_KINDS]);
    expect(!over.ok && over.error.code).toBe("bad_request");
    // An emoji already there still takes more people.
    expect((await react(bobSocket, channel, sent.seq, emoji[0])).ok).toBe(true);
  });

  it("drops a message's reactions when it is deleted", async () => {
    const sent = await sendMessage(aliceSocket, channel, "to delete");
    await react(bobSocket, channel, sent.seq, "🎉");
    const removed = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    expect(removed.ok && removed.data.reactions).toEqual([]);
    const stored = (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === sent.seq);
    expect(stored?.reactions).toEqual([]);
  });

  it("merges a burst of reactions into few frames, in order, ending where history does", async () => {
    const sent = await sendMessage(aliceSocket, channel, "storm");
    const frames = captureEvents(bobSocket, "changes");
    const emoji = [..."😀😃😄😁😆😅😂🤣😊😇"];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        react(i % 2 ? aliceSocket : alicePhone, channel, sent.seq, emoji[i % emoji.length], i % 3 !== 2),
      ),
    );
    const ours = (c: Change) => c.data.kind === "reactions" && c.data.seq === sent.seq;
    const received = await frames.settle(500);
    const heard = received.flat().filter(ours);
    expect(heard.length).toBeGreaterThan(1);
    expect(received.filter((frame) => frame.some(ours)).length).toBeLessThan(heard.length / 2);
    const seqs = heard.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const last = heard.at(-1)!.data;
    const stored = (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === sent.seq);
    expect(last.kind === "reactions" && last.reactions).toEqual(stored?.reactions);
  });
});

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(missing.length > 0)("reactions across two processes", () => {
  it("reach a member on the other process, merged, after the message", async () => {
    const cluster = await startCluster(2, fast);
    const [one, two] = cluster.servers as [TestServer, TestServer];
    try {
      const alice = await signUpAndSignIn(one.url, { name: "Alice" });
      const bob = await signUpAndSignIn(one.url, { name: "Bob" });
      const channel = (await createChannel(one.url, alice.cookie, uniqueChannelName("two"))).id;
      await joinChannel(one.url, bob.cookie, channel);
      const writer = await connectSocket(one.url, alice.cookie);
      const reader = await connectSocket(two.url, bob.cookie);
      const order: string[] = [];
      let frames = 0;
      reader.on("messages:new", (messages) => order.push(...messages.map((m) => `message ${m.seq}`)));
      reader.on("changes", (changes) => {
        frames += 1;
        for (const c of changes) if (c.data.kind === "reactions") order.push(`reactions ${c.data.seq}`);
      });
      const sent = [];
      for (let i = 0; i < 5; i++) sent.push(await sendMessage(writer, channel, `m${i}`));
      await Promise.all(
        sent.flatMap((m) =>
          [..."😀😃😄😁"].map((e) =>
            emitWithAck(writer, "reaction:add", { conversationId: channel, seq: m.seq, emoji: e }),
          ),
        ),
      );
      await expect.poll(() => order.filter((e) => e.startsWith("reactions")).length, { timeout: 10_000 }).toBe(20);
      for (const { seq } of sent) {
        expect(order.indexOf(`message ${seq}`)).toBeLessThan(order.indexOf(`reactions ${seq}`));
      }
      expect(frames).toBeLessThan(10);
      writer.close();
      reader.close();
    } finally {
      await cluster.close();
    }
  });
});
