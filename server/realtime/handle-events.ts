import type { Ack, ClientToServerEvents } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { AppError, toWireError } from "@/server/errors";
import { listChanges } from "@/server/changes/list-changes";
import { listMyConversations } from "@/server/conversations/list-my-conversations";
import { markRead } from "@/server/conversations/mark-read";
import { listMessages } from "@/server/messages/list-messages";
import { deleteMessage } from "@/server/messages/delete-message";
import { editMessage } from "@/server/messages/edit-message";
import { removePreview } from "@/server/messages/remove-preview";
import { sendMessage } from "@/server/messages/send-message";
import { addReaction } from "@/server/reactions/add-reaction";
import { removeReaction } from "@/server/reactions/remove-reaction";
import { followThreadByHand } from "@/server/threads/follow-thread";
import { listThreads } from "@/server/threads/list-threads";
import { replyInThread } from "@/server/threads/reply-in-thread";
import { marks, openSharedLimits, reads, writes, type EventLimit } from "./event-limits";
import type { ParleySocket } from "./types";

type ClientEvent = {
  /** Parses the raw input and answers, or throws AppError. */
  service: (user: SessionUser, input: unknown) => Promise<unknown>;
  /** What bounds the event: `writes` for anything that stores, `marks` for positions it replaces, `reads` for anything that loads. */
  limit: EventLimit;
};

/** Every client event, the one service that answers it, and its limit. */
export const clientEvents = {
  "message:send": { service: sendMessage, limit: writes },
  "message:edit": { service: editMessage, limit: writes },
  "message:delete": { service: deleteMessage, limit: writes },
  "message:remove-preview": { service: removePreview, limit: writes },
  "reaction:add": { service: addReaction, limit: writes },
  "reaction:remove": { service: removeReaction, limit: writes },
  "messages:history": { service: listMessages, limit: reads },
  "conversations:list": { service: listMyConversations, limit: reads },
  "changes:list": { service: listChanges, limit: reads },
  "conversation:read": { service: markRead, limit: marks },
  "thread:reply": { service: replyInThread, limit: writes },
  "thread:follow": { service: followThreadByHand, limit: writes },
  "threads:list": { service: listThreads, limit: reads },
} satisfies Record<keyof ClientToServerEvents, ClientEvent>;

/** An unknown event's name is echoed back in the refusal, cut to this length. */
const ECHOED_NAME_LENGTH = 100;

/** Registers every client event: the service parses the input, and the ack carries its answer or error. */
export function handleEvents(socket: ParleySocket): void {
  openSharedLimits();
  // Middleware sees every event packet, so an unknown one is answered here and goes no further.
  socket.use(([event, ...args], next) => {
    if (typeof event === "string" && Object.hasOwn(clientEvents, event)) return next();
    const { ack } = splitAck(args);
    if (typeof ack !== "function") return;
    const name = String(event).slice(0, ECHOED_NAME_LENGTH);
    (ack as (result: Ack<never>) => void)({
      ok: false,
      error: { code: "bad_request", message: `Unknown event: ${name}` },
    });
  });
  for (const [event, { service, limit }] of Object.entries(clientEvents) as [string, ClientEvent][]) {
    // Inputs are untrusted: each arrives as unknown and the service's schema decides.
    (socket as unknown as { on: (event: string, listener: (...args: unknown[]) => void) => void }).on(
      event,
      (...args) => {
        const { payloads, ack } = splitAck(args);
        // A client that asks without an ack cannot learn the outcome; doing the work anyway would be a
        // silent write. It still counts, so that unanswered events cannot flood the server either.
        if (typeof ack !== "function") return limit.count(socket);
        void answer(ack as (result: Ack<unknown>) => void, () =>
          limit.run(socket, () => {
            if (payloads.length > 1) throw new AppError("bad_request", `${event} takes one payload`);
            return service(socket.data.user, payloads[0]);
          }),
        );
      },
    );
  }
}

/** Socket.IO passes the ack last, after however many payloads the client sent. */
function splitAck(args: unknown[]): { payloads: unknown[]; ack: unknown } {
  const last = args.at(-1);
  return typeof last === "function" ? { payloads: args.slice(0, -1), ack: last } : { payloads: args, ack: undefined };
}

async function answer<T>(reply: (result: Ack<T>) => void, work: () => Promise<T>): Promise<void> {
  try {
    reply({ ok: true, data: await work() });
  } catch (error) {
    reply({ ok: false, error: toWireError(error) });
  }
}
