import type { Socket } from "socket.io-client";
import { serverEventSchemas, type Change, type Message } from "@/lib/protocol";
import type { ClientSocket } from "./socket";

export type LoggedEvent = { messages: Message[] } | { changes: Change[] };

/**
 * The messages:new and changes events of one socket, in the order they
 * arrived, each checked against the protocol's schema: for asserting what came
 * before what.
 */
export function logEvents(socket: ClientSocket): { readonly events: readonly LoggedEvent[] } {
  const events: LoggedEvent[] = [];
  const untyped = socket as unknown as Socket;
  untyped.on("messages:new", (payload: unknown) => {
    events.push({ messages: serverEventSchemas["messages:new"].parse(payload) });
  });
  untyped.on("changes", (payload: unknown) => {
    events.push({ changes: serverEventSchemas.changes.parse(payload) });
  });
  return { events };
}

/** The messages logged after the first change matching `is`, and whether it came at all. */
export function messagesAfter(events: readonly LoggedEvent[], is: (change: Change) => boolean) {
  const at = events.findIndex((e) => "changes" in e && e.changes.some(is));
  const after = at < 0 ? [] : events.slice(at + 1).flatMap((e) => ("messages" in e ? e.messages : []));
  return { found: at >= 0, after };
}
