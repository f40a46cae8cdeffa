import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import {
  type Change,
  changePageSchema,
  type ChangePage,
  type JsonBytes,
  messageSchema,
  parseJsonBytes,
  serverEventSchemas,
  type Message,
  wireErrorSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "@/lib/protocol";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Transport = "websocket" | "polling";
export type ConnectOptions = {
  transports?: Transport[];
  /** Extra handshake headers, e.g. a foreign Origin. */
  headers?: Record<string, string>;
};

const ACK_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;

function createSocket(baseUrl: string, cookie: string | undefined, options: ConnectOptions): ClientSocket {
  return io(baseUrl, {
    transports: options.transports ?? ["websocket"],
    extraHeaders: { ...(cookie ? { cookie } : {}), ...options.headers },
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
}

/** A socket that has connected (the server ran its auth and joined its rooms), or a rejection with the connect_error. */
export function connectSocket(
  baseUrl: string,
  cookie: string | undefined,
  transports: Transport[] = ["websocket"],
  headers: Record<string, string> = {},
): Promise<ClientSocket> {
  const socket = createSocket(baseUrl, cookie, { transports, headers });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.off("connect_error");
      resolve(socket);
    });
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The connect_error of a handshake expected to fail; rejects if the socket connects instead. */
export function connectionRefusal(
  baseUrl: string,
  cookie: string | undefined,
  options: ConnectOptions = {},
): Promise<Error> {
  const socket = createSocket(baseUrl, cookie, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.close();
      reject(new Error("The socket connected, but the handshake was expected to be refused"));
    });
    socket.once("connect_error", (error) => {
      socket.close();
      resolve(error);
    });
  });
}

type EventName = keyof ClientToServerEvents;
type InputOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends EventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Emits a client event and resolves with the server's acknowledgement (rejects after a timeout). */
export function emitWithAck<E extends EventName>(socket: ClientSocket, event: E, input: InputOf<E>): Promise<AckOf<E>> {
  return emitUntypedWithAck(socket, event, [input]) as Promise<AckOf<E>>;
}

/** Like emitWithAck, with any arguments (before the ack): for payloads the protocol's types would not allow. */
export function emitUntypedWithAck(
  socket: ClientSocket,
  event: string,
  args: unknown[],
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<unknown> {
  const untyped = socket as unknown as Socket;
  return untyped.timeout(timeoutMs).emitWithAck(event, ...args);
}

/** The page of a `changes:list` answer, which comes as the JSON bytes PostgreSQL built: checked against its schema. */
export function changePageOf(data: JsonBytes): ChangePage {
  return changePageSchema.parse(parseJsonBytes(data));
}

/** Emits with any arguments and no acknowledgement. */
export function emitUntyped(socket: ClientSocket, event: string, args: unknown[]): void {
  (socket as unknown as Socket).emit(event, ...args);
}

export const okAckSchema = z.object({ ok: z.literal(true), data: messageSchema });
export const errorAckSchema = z.object({ ok: z.literal(false), error: wireErrorSchema });

type ServerEventName = keyof typeof serverEventSchemas;
export type ServerEventPayload<E extends ServerEventName> = z.infer<(typeof serverEventSchemas)[E]>;

export type Capture<T> = {
  /** Everything received so far, each payload already checked against the protocol's schema. */
  readonly events: readonly T[];
  /** The number of events that carried them (for messages, each event carries one or more). */
  readonly payloads: number;
  /** Resolves once at least `count` arrived; rejects on timeout or an invalid payload. */
  waitFor: (count: number, timeoutMs?: number) => Promise<T[]>;
  /** Waits `ms` more, so that extra events would have had time to arrive, and returns everything received. */
  settle: (ms?: number) => Promise<T[]>;
};

/** Collects one server event from a socket, validating every payload with serverEventSchemas. */
export function captureEvents<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
): Capture<ServerEventPayload<E>> {
  return capture(socket, event, (payload) => [payload]);
}

/** Collects the changes of every changes event (of one kind, when named), in the order they arrived, as one list. */
export function captureChanges<K extends Change["data"]["kind"]>(
  socket: ClientSocket,
  kind?: K,
): Capture<Change & { data: { kind: K } }> {
  return capture(socket, "changes", (changes) =>
    changes.filter((c): c is Change & { data: { kind: K } } => kind === undefined || c.data.kind === kind),
  );
}

/** The conversation of each membership change: what a device shows joining (null: leaving). */
export function joinedOrLeft(changes: Change[]) {
  return changes.map((c) =>
    c.data.kind === "membership" ? (c.data.conversation ?? { left: c.data.conversationId }) : c,
  );
}

/** Collects the messages of every messages:new event, in the order they arrived, as one list. */
export function captureMessages(socket: ClientSocket): Capture<Message> {
  return capture(socket, "messages:new", (messages) => messages);
}

function capture<E extends ServerEventName, T>(
  socket: ClientSocket,
  event: E,
  itemsOf: (payload: ServerEventPayload<E>) => T[],
): Capture<T> {
  const schema = serverEventSchemas[event];
  const events: T[] = [];
  const problems: string[] = [];
  const waiters = new Set<() => void>();
  let payloads = 0;
  const listener = (payload: unknown) => {
    const parsed = schema.safeParse(payload);
    payloads += 1;
    if (parsed.success) events.push(...itemsOf(parsed.data as ServerEventPayload<E>));
    else problems.push(`invalid "${event}" payload ${JSON.stringify(payload)}: ${parsed.error.message}`);
    for (const wake of waiters) wake();
  };
  const untyped = socket as unknown as Socket;
  const name: string = event;
  untyped.on(name, listener);

  const waitFor = (count: number, timeoutMs = 10_000) =>
    new Promise<T[]>((resolve, reject) => {
      const check = () => {
        if (problems.length > 0) finish(() => reject(new Error(problems.join("\n"))));
        else if (events.length >= count) finish(() => resolve([...events]));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`Received ${events.length} of ${count} from "${event}"`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  const settle = async (ms = 300) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return [...events];
  };

  return {
    events,
    get payloads() {
      return payloads;
    },
    waitFor,
    settle,
  };
}

/** Resolves with the reason of the socket's next disconnect. */
export function nextDisconnect(socket: ClientSocket, timeoutMs = 10_000): Promise<Socket.DisconnectReason> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("The socket was not disconnected")), timeoutMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
