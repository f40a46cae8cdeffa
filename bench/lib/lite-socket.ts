import { WebSocket } from "ws";

/**
 * The part of a Socket.IO client the load workers use (connect with auth and a
 * cookie, events, emits with an ack, close), spoken straight over one
 * WebSocket: Engine.IO v4 text packets carrying Socket.IO v5 packets on the
 * main namespace. Each worker stands in for a thousand devices on the cores
 * the servers run on, so its own cost takes CPU from what is measured: at S3's
 * ten-times rate the two workers used 0.89 to 1.03 cores with socket.io-client
 * and 0.71 to 0.83 with this (docs/performance.md).
 */
type Listener = (payload: unknown) => void;

const OPEN = "0";
const PING = "2";
const PONG = "3";
const MESSAGE = "4";
// Socket.IO packet types, after the Engine.IO MESSAGE prefix.
const CONNECT = "0";
const EVENT = "2";
const ACK = "3";
const CONNECT_ERROR = "4";
const BINARY_ACK = "6";

/** An ack whose answer carries binary attachments, waiting for them: they follow as binary frames. */
type PendingBinaryAck = { id: number; answer: unknown; attachments: Buffer[]; expected: number };

type LiteSocketOptions = { cookie?: string; auth: unknown };

export class LiteSocket {
  private readonly ws: WebSocket;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly acks = new Map<number, (payload: unknown) => void>();
  private nextAck = 0;
  private connected = false;
  private binaryAck: PendingBinaryAck | null = null;

  constructor(url: string, { cookie, auth }: LiteSocketOptions) {
    const endpoint = new URL("/socket.io/?EIO=4&transport=websocket", url.replace(/^http/, "ws"));
    this.ws = new WebSocket(endpoint, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
    this.ws.on("message", (data: Buffer, isBinary: boolean) =>
      isBinary ? this.onAttachment(data) : this.onFrame(data.toString(), auth),
    );
    this.ws.on("error", (error) => {
      if (!this.connected) this.dispatch("connect_error", error);
    });
    this.ws.on("close", () => {
      if (!this.connected) return this.dispatch("connect_error", new Error("closed before connecting"));
      this.connected = false;
      this.dispatch("disconnect", undefined);
    });
  }

  on(event: string, listener: Listener): void {
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
  }

  once(event: string, listener: Listener): void {
    const wrapped: Listener = (payload) => {
      this.off(event, wrapped);
      listener(payload);
    };
    this.on(event, wrapped);
  }

  /** Resolves with the server's ack, or rejects after timeoutMs. */
  emitWithAck(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no ack for ${event} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.ws.send(MESSAGE + EVENT + id + JSON.stringify([event, payload]));
    });
  }

  close(): void {
    this.ws.close();
  }

  private off(event: string, listener: Listener): void {
    const list = this.listeners.get(event);
    if (list)
      this.listeners.set(
        event,
        list.filter((l) => l !== listener),
      );
  }

  private dispatch(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  private onFrame(frame: string, auth: unknown): void {
    switch (frame[0]) {
      case OPEN:
        return this.ws.send(MESSAGE + CONNECT + JSON.stringify(auth));
      case PING:
        return this.ws.send(PONG);
      case MESSAGE:
        return this.onPacket(frame.slice(1));
    }
  }

  private onPacket(packet: string): void {
    switch (packet[0]) {
      case CONNECT:
        this.connected = true;
        return this.dispatch("connect", undefined);
      case CONNECT_ERROR:
        this.dispatch("connect_error", new Error(packet.slice(1)));
        return this.ws.close();
      case EVENT: {
        const [event, payload] = JSON.parse(packet.slice(1)) as [string, unknown];
        return this.dispatch(event, payload);
      }
      case ACK: {
        const bracket = packet.indexOf("[");
        const [answer] = JSON.parse(packet.slice(bracket)) as [unknown];
        return this.resolveAck(Number(packet.slice(1, bracket)), answer);
      }
      case BINARY_ACK: {
        // `6<attachments>-<id>[answer]`, the answer holding `{ _placeholder: true, num }` for each.
        const dash = packet.indexOf("-");
        const bracket = packet.indexOf("[");
        const [answer] = JSON.parse(packet.slice(bracket)) as [unknown];
        const expected = Number(packet.slice(1, dash));
        this.binaryAck = { id: Number(packet.slice(dash + 1, bracket)), answer, attachments: [], expected };
      }
    }
  }

  private onAttachment(data: Buffer): void {
    const pending = this.binaryAck;
    if (!pending) return;
    pending.attachments.push(data);
    if (pending.attachments.length < pending.expected) return;
    this.binaryAck = null;
    this.resolveAck(pending.id, withAttachments(pending.answer, pending.attachments));
  }

  private resolveAck(id: number, answer: unknown): void {
    this.acks.get(id)?.(answer);
    this.acks.delete(id);
  }
}

/** Puts each attachment where its placeholder stands, as socket.io-parser does. */
function withAttachments(value: unknown, attachments: Buffer[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withAttachments(v, attachments));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record._placeholder === true && typeof record.num === "number") return attachments[record.num];
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, withAttachments(v, attachments)]));
}
