import { randomUUID } from "node:crypto";
import type { Message } from "@/lib/protocol";

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

type Publication = { from: string; messages: Message[] };

type RedisClient = {
  publish: (channel: string, message: string) => Promise<unknown>;
  subscribe: (channel: string, listener: (message: string) => void) => Promise<unknown>;
};

/**
 * Pub/sub on the Redis connections the Socket.IO adapter uses. Every server
 * hears its own publications too, and skips them by the sender's id. The
 * channel carries only what Parley's servers publish, checked when they were
 * sent, so it is not validated again.
 */
export async function redisRelay(pub: RedisClient, sub: RedisClient): Promise<MessageRelay> {
  const self = randomUUID();
  const handlers = new Set<(messages: Message[]) => void>();
  await sub.subscribe(CHANNEL, (raw) => {
    let publication: Publication;
    try {
      publication = JSON.parse(raw) as Publication;
    } catch (error) {
      return console.error(`Ignored a publication on ${CHANNEL} that is not JSON`, error);
    }
    if (publication.from === self) return;
    for (const handler of handlers) handler(publication.messages);
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
