import type { Ack } from "@/lib/protocol";
import { toWireError } from "@/server/errors";
import { sendMessage } from "@/server/messages/send-message";
import type { ParleySocket } from "./types";

/** Registers every client event: each parses its input in the service and answers through its ack. */
export function handleEvents(socket: ParleySocket): void {
  socket.on("message:send", (...args: unknown[]) => {
    const [input, ack] = withAckLast(args);
    void answer(ack, () => sendMessage(socket.data.user, input));
  });
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
