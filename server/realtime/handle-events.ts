import type { Ack } from "@/lib/protocol";
import { toWireError } from "@/server/errors";
import { sendMessage } from "@/server/messages/send-message";
import type { ParleySocket } from "./types";

/** Registers every client event: each parses its input in the service and answers through its ack. */
export function handleEvents(socket: ParleySocket): void {
  socket.on("message:send", (input, ack) => answer(ack, () => sendMessage(socket.data.user, input)));
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
