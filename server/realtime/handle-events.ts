import type { Ack, ClientToServerEvents } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { toWireError } from "@/server/errors";
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
        const [input, ack] = withAckLast(args);
        void answer(ack, () => service(socket.data.user, input));
      },
    );
  }
}

/** Socket.IO passes the ack last: a client that sends no payload puts it first. */
function withAckLast(args: unknown[]): [unknown, unknown] {
  const last = args[args.length - 1];
  return typeof last === "function" && args.length === 1 ? [undefined, last] : [args[0], args[1]];
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
