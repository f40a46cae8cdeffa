import { io, type Socket } from "socket.io-client";
import type { User } from "@/lib/protocol";
import { api } from "@/lib/client/api";
import { ChatEngine } from "./chat-engine";
import { browserLocks } from "./locks";
import type { KeyValueStorage } from "./outbox-storage";
import type { ChatSocket } from "./socket";

/** The engine on the browser's own socket, storage, locks and events. Safe to create while rendering on the server. */
export function createBrowserChatEngine(user: User): ChatEngine {
  return new ChatEngine({
    user,
    createSocket: socketIoChatSocket,
    api,
    storage: browserStorage,
    watchStorage: (listener) => {
      const onStorage = (event: StorageEvent) => {
        if (event.storageArea === localStorage) listener(event.key);
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
    locks: browserLocks,
    onOnline: (listener) => {
      window.addEventListener("online", listener);
      return () => window.removeEventListener("online", listener);
    },
    navigate: (url) => window.location.assign(url),
    schedule: (task, ms) => {
      const timer = setTimeout(task, ms);
      return () => clearTimeout(timer);
    },
  });
}

/** localStorage, looked up on each use: there is none where the page is rendered on the server. */
const browserStorage: KeyValueStorage = {
  getItem: (key) => localStorage.getItem(key),
  setItem: (key, value) => localStorage.setItem(key, value),
  removeItem: (key) => localStorage.removeItem(key),
  key: (index) => localStorage.key(index),
  get length() {
    return localStorage.length;
  },
};

function socketIoChatSocket(): ChatSocket {
  // Reconnection is the engine's (connection.ts): Socket.IO's own gives up after a refused handshake.
  // Untyped here: ChatSocket carries the protocol's types, which Socket.IO's conditional ones cannot be matched to.
  const socket: Socket = io({
    autoConnect: false,
    reconnection: false,
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });
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
