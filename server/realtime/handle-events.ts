import type { Ack, ClientToServerEvents } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { AppError, toWireError } from "@/server/errors";
import { listMessages } from "@/server/messages/list-messages";
import { sendMessage } from "@/server/messages/send-message";
import type { ParleySocket } from "./types";

/** Every client event and the one service that answers it. */
const services = {
  "message:send": sendMessage,
  "messages:history": listMessages,
} satisfies Record<keyof ClientToServerEvents, (user: SessionUser, input: unknown) => Promise<unknown>>;

/** Registers every client event: the service parses the input, and the ack carries its answer or error. */
export function handleEvents(socket: ParleySocket): void {
  for (const [event, service] of Object.entries(services) as [
    string,
    (u: SessionUser, i: unknown) => Promise<unknown>,
  ][]) {
    // Inputs are untrusted: each arrives as unknown and the service's schema decides.
    (socket as unknown as { on: (event: string, listener: (...args: unknown[]) => void) => void }).on(
      event,
      (...args) => {
        const { payloads, ack } = splitAck(args);
        void answer(ack, () => {
          if (payloads.length > 1) throw new AppError("bad_request", `${event} takes one payload`);
          return service(socket.data.user, payloads[0]);
        });
      },
    );
  }
}

/** Socket.IO passes the ack last, after however many payloads the client sent. */
function splitAck(args: unknown[]): { payloads: unknown[]; ack: unknown } {
  const last = args.at(-1);
  return typeof last === "function" ? { payloads: args.slice(0, -1), ack: last } : { payloads: args, ack: undefined };
}

async function answer<T>(ack: unknown, work: () => Promise<T>): Promise<void> {
  // A client that asks without an ack cannot learn the outcome; doing the work anyway would be a silent write.
  if (typeof ack !== "function") return;
  const reply = ack as (result: Ack<T>) => void;
  try {
    reply({ ok: true, data: await work() });
  } catch (error) {
    reply({ ok: false, error: toWireError(error) });
  }
}
