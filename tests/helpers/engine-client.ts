import { io, type Socket } from "socket.io-client";
import { ApiError } from "@/lib/client/api";
import { ChatEngine, type Api } from "@/lib/client/engine/chat-engine";
import type { ChatSocket } from "@/lib/client/engine/socket";
import type { User } from "@/lib/protocol";
import { MemoryStorage } from "./memory-storage";

/**
 * The browser's chat engine, as it is, against a test server: its socket and API calls carry the
 * person's cookie. Integration tests read what it would show from `engine.store`; `dropConnection`
 * closes its transport as a network failure would, and the engine reconnects by itself.
 */
export function engineClient(
  baseUrl: string,
  cookie: string,
  user: User,
): { engine: ChatEngine; dropConnection: () => void } {
  const sockets: Socket[] = [];
  const api: Api = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(new URL(path, baseUrl), {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: { cookie, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (response.status === 204) return undefined as T;
    const body = (await response.json()) as T & { error?: { code: ApiError["code"]; message: string } };
    if (!response.ok) throw new ApiError(body.error?.code ?? "internal", body.error?.message ?? "failed");
    return body;
  };
  const engine = new ChatEngine({
    user,
    createSocket: () => {
      const socket = io(baseUrl, {
        autoConnect: false,
        reconnection: false,
        forceNew: true,
        transports: ["websocket"],
        extraHeaders: { cookie },
      });
      sockets.push(socket);
      return chatSocket(socket);
    },
    api,
    storage: new MemoryStorage(),
    watchStorage: () => () => {},
    locks: (_name, task) => task(),
    onOnline: () => () => {},
    navigate: () => {},
    schedule: (task, ms) => {
      const timer = setTimeout(task, ms);
      return () => clearTimeout(timer);
    },
  });
  return { engine, dropConnection: () => sockets.at(-1)?.io.engine.close() };
}

function chatSocket(socket: Socket): ChatSocket {
  return {
    get connected() {
      return socket.connected;
    },
    connect: () => void socket.connect(),
    disconnect: () => void socket.disconnect(),
    on: (event, listener) => void socket.on(event as string, listener as (...args: unknown[]) => void),
    request: (event, input, timeoutMs) => socket.timeout(timeoutMs).emitWithAck(event, input),
  };
}
