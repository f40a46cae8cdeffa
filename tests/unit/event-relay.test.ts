import { afterEach, describe, expect, it, vi } from "vitest";
import type { Message } from "@/lib/protocol";
import type { ConversationEvent } from "@/server/realtime/conversation-event";
import { redisRelay } from "@/server/realtime/event-relay";

const message: Message = {
  id: "1",
  conversationId: "00000000-0000-4000-8000-00000000000a",
  seq: 1,
  sender: { id: "00000000-0000-4000-8000-000000000001", name: "Ann" },
  clientMessageId: "00000000-0000-4000-8000-000000000002",
  text: "hello",
  createdAt: "2026-12-04T00:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  reactions: [],
  linkPreview: null,
  thread: null,
  alsoSentFrom: null,
};
const event: ConversationEvent = { message };

/** One Redis channel shared by every relay made on it, delivering synchronously, as the subscriber's decoder does. */
function fakeRedis() {
  const listeners = new Map<string, ((raw: string) => void)[]>();
  const client = {
    publish: async (channel: string, raw: string) => {
      for (const listener of listeners.get(channel) ?? []) listener(raw);
    },
    subscribe: async (channel: string, listener: (raw: string) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
  };
  return { client, publishRaw: (raw: string) => client.publish("parley:events", raw) };
}

afterEach(() => vi.restoreAllMocks());

describe("redisRelay", () => {
  it("hands each server the others' messages and not its own", async () => {
    const redis = fakeRedis();
    const [one, two] = [await redisRelay(redis.client, redis.client), await redisRelay(redis.client, redis.client)];
    const heardByOne: ConversationEvent[][] = [];
    const heardByTwo: ConversationEvent[][] = [];
    one.onEvents((events) => heardByOne.push(events));
    const stopTwo = two.onEvents((events) => heardByTwo.push(events));

    one.publish([event]);
    await Promise.resolve();
    expect(heardByOne).toEqual([]);
    expect(heardByTwo).toEqual([[event]]);

    stopTwo();
    one.publish([event]);
    await Promise.resolve();
    expect(heardByTwo).toHaveLength(1);
  });

  it("ignores what is not a publication of Parley's, and goes on hearing the next ones", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const redis = fakeRedis();
    const relay = await redisRelay(redis.client, redis.client);
    const heard: ConversationEvent[][] = [];
    relay.onEvents((events) => heard.push(events));

    for (const raw of ["not json", "null", "{}", '{"from":"x","events":[{"message":{"seq":"one"}}]}', '{"from":"x"}']) {
      await expect(redis.publishRaw(raw)).resolves.toBeUndefined();
    }
    expect(heard).toEqual([]);
    expect(errors).toHaveBeenCalledTimes(5);

    await redis.publishRaw(JSON.stringify({ from: "another server", events: [event] }));
    expect(heard).toEqual([[event]]);
  });

  it("keeps a handler's failure from reaching the Redis client", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const redis = fakeRedis();
    const relay = await redisRelay(redis.client, redis.client);
    relay.onEvents(() => {
      throw new Error("handler failed");
    });
    await expect(
      redis.publishRaw(JSON.stringify({ from: "another server", events: [event] })),
    ).resolves.toBeUndefined();
    expect(errors).toHaveBeenCalledOnce();
  });
});
