/** What the benchmark runner and its load workers say to each other over IPC. */

export type ClientSpec = {
  /** The server this client connects to. */
  url: string;
  /** Parley authenticates the cookie; the baseline reads rooms and userId from the handshake. */
  cookie?: string;
  userId: string;
  rooms: string[];
};

export type SendSpec = {
  /** Index into the worker's clients. */
  client: number;
  /** Sends go to these in turn. */
  conversationIds: string[];
  count: number;
  /** Pause between two sends of this sender; 0 sends the next as soon as the previous is acked. */
  intervalMs: number;
  /** Wait before the first send, to spread senders over the interval. */
  startDelayMs: number;
};

/**
 * One act of a storm (S10), by the worker's client `client`, `delayMs` after the command arrives.
 * "post" sends a message; "react" adds `emoji`; "edit" rewrites the client's own message with its
 * send time at the start of the text.
 */
export type StormAction =
  | { kind: "post"; client: number; conversationId: string; delayMs: number }
  | { kind: "react"; client: number; conversationId: string; seq: number; emoji: string; delayMs: number }
  | { kind: "edit"; client: number; conversationId: string; seq: number; delayMs: number };

/**
 * An action's outcome. `key` names what members should come to hold: a reaction as
 * "<conversation> <seq> <emoji> <userId>", an edit as "<conversation> <seq> <text>".
 */
export type StormActionResult =
  | { ok: true; conversationId: string; seq: number; key: string; sentAt: number; ackMs: number }
  | { ok: false; error: string };

/** A storm's event that members should hear: its key and when it was sent, on the shared clock. */
export type StormSent = { conversationId: string; key: string; sentAt: number };

/** A storm message's final state as a member holds it: "<conversation> <seq>" to its reactions' JSON or its text. */
export type StormState = Record<string, string>;

export type StormReport = {
  type: "storm-report";
  /** Per socket: `changes` frames received since the last report. */
  frames: number[];
  /** From each event's send to the first frame that brought it to each member. */
  latencies: number[];
  /** Member x event pairs never heard. */
  lost: number;
  /** Sockets whose final state of some storm message is not the server's. */
  differ: number;
};

export type WorkerCommand =
  | { cmd: "connect"; clients: ClientSpec[]; concurrency: number }
  | { cmd: "send"; senders: SendSpec[] }
  | { cmd: "report" }
  | { cmd: "count" }
  | { cmd: "drop" }
  | { cmd: "disconnect" }
  | { cmd: "storm"; jitterMs: number; catchUp: boolean }
  | { cmd: "close" }
  | { cmd: "act"; actions: StormAction[] }
  | { cmd: "storm-seen" }
  | { cmd: "storm-report"; sent: StormSent[]; finals: StormState; kind: "reactions" | "message" }
  | { cmd: "history"; client: number; conversationId: string; after: number; limit: number };

export type ConnectResult = { type: "connected"; connected: number; failed: number; ms: number };

export type StormResult = {
  type: "stormed";
  back: number;
  failed: number;
  ms: number;
  /** Each client that came back: from its turn to connected, retries included. */
  connectMs: number[];
};

export type SendResult = {
  type: "sent";
  acked: number;
  errors: number;
  /** The first few error messages, to say why sends failed. */
  errorSamples: string[];
  ackLatencies: number[];
  /** Per conversation, the sequence numbers acked. */
  ackedSeqs: Record<string, number[]>;
};

export type ReceiveReport = {
  type: "report";
  latencies: number[];
  /** Per socket and conversation: messages received and distinct sequence numbers among them. */
  sockets: { rooms: string[]; received: Record<string, { total: number; distinct: number }> }[];
  disconnects: number;
};

export type WorkerReply =
  | ConnectResult
  | SendResult
  | ReceiveReport
  | { type: "count"; total: number }
  | StormResult
  | { type: "closed" }
  | { type: "dropped" }
  | { type: "disconnected" }
  | { type: "acted"; results: StormActionResult[] }
  | { type: "storm-seen"; total: number }
  | StormReport
  | { type: "history"; messages: { seq: number; text: string; reactions: unknown }[] };
