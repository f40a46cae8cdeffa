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

export type WorkerCommand =
  | { cmd: "connect"; clients: ClientSpec[]; concurrency: number }
  | { cmd: "send"; senders: SendSpec[] }
  | { cmd: "report" }
  | { cmd: "count" }
  | { cmd: "drop" }
  | { cmd: "disconnect" }
  | { cmd: "storm"; jitterMs: number; catchUp: boolean }
  | { cmd: "close" };

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
  | { type: "disconnected" };
