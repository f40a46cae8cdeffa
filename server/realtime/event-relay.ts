import { randomUUID } from "node:crypto";
import { z } from "zod";
import { conversationEventSchema, type ConversationEvent } from "./conversation-event";

/**
 * Carries what each chat server committed (messages and changes) to the
 * others, one publication per fan-out rather than one per conversation, so
 * that each server can emit them with its own next messages
 * (server/realtime/event-order.ts). A publication keeps its events in order.
 */
export type EventRelay = {
  publish: (events: ConversationEvent[]) => void;
  /** Returns a function that stops listening. */
  onEvents: (handler: (events: ConversationEvent[]) => void) => () => void;
};

/** One process: nobody else to tell. */
export const localRelay: EventRelay = { publish: () => {}, onEvents: () => () => {} };

const CHANNEL = "parley:events";

const publicationSchema = z.object({ from: z.string(), events: z.array(conversationEventSchema) });
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
export async function redisRelay(pub: RedisClient, sub: RedisClient): Promise<EventRelay> {
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
  const handlers = new Set<(events: ConversationEvent[]) => void>();
  await sub.subscribe(CHANNEL, (raw) => {
    // A throw here would reach node-redis's reply decoder and break this connection for every channel.
    try {
      const publication = readPublication(raw);
      if (publication === "own") return;
      if (!publication) return console.error(`Ignored a malformed publication on ${CHANNEL}`);
      for (const handler of handlers) handler(publication.events);
    } catch (error) {
      console.error(`Could not handle a publication on ${CHANNEL}`, error);
    }
  });
  return {
    publish: (events) => {
      pub.publish(CHANNEL, JSON.stringify({ from: self, events } satisfies Publication)).catch((error: unknown) => {
        console.error("Could not relay events to the other chat servers", error);
      });
    },
    onEvents: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
}
