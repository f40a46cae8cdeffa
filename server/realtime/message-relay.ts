import { randomUUID } from "node:crypto";
import { z } from "zod";
import { messageSchema, type Message } from "@/lib/protocol";

/**
 * Carries the messages each chat server stored to the others, one publication
 * per fan-out rather than one per conversation, so that each server can emit
 * them with its own next messages (server/realtime/message-groups.ts).
 */
export type MessageRelay = {
  publish: (messages: Message[]) => void;
  /** Returns a function that stops listening. */
  onMessages: (handler: (messages: Message[]) => void) => () => void;
};

/** One process: nobody else to tell. */
export const localRelay: MessageRelay = { publish: () => {}, onMessages: () => () => {} };

const CHANNEL = "parley:messages";

const publicationSchema = z.object({ from: z.string(), messages: z.array(messageSchema) });
type Publication = z.infer<typeof publicationSchema>;

type RedisClient = {
  publish: (channel: string, message: string) => Promise<unknown>;
  subscribe: (channel: string, listener: (message: string) => void) => Promise<unknown>;
};

/**
 * Pub/sub on the Redis connections the Socket.IO adapter uses. Every server
 * hears its own publications too, and skips them by the sender's id before
 * validating the rest: anyone with access to Redis can publish on the channel.
 */
export async function redisRelay(pub: RedisClient, sub: RedisClient): Promise<MessageRelay> {
  const self = randomUUID();
  const readPublication = (raw: string): Publication | "own" | undefined => {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof data === "object" && data !== null && "from" in data && data.from === self) return "own";
    return publicationSchema.safeParse(data).data;
  };
  const handlers = new Set<(messages: Message[]) => void>();
  await sub.subscribe(CHANNEL, (raw) => {
    // A throw here would reach node-redis's reply decoder and break this connection for every channel.
    try {
      const publication = readPublication(raw);
      if (publication === "own") return;
      if (!publication) return console.error(`Ignored a malformed publication on ${CHANNEL}`);
      for (const handler of handlers) handler(publication.messages);
    } catch (error) {
      console.error(`Could not handle a publication on ${CHANNEL}`, error);
    }
  });
  return {
    publish: (messages) => {
      pub.publish(CHANNEL, JSON.stringify({ from: self, messages } satisfies Publication)).catch((error: unknown) => {
        console.error("Could not relay messages to the other chat servers", error);
      });
    },
    onMessages: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
}
