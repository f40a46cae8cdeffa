import { ApiError } from "@/lib/client/api";
import { isSignedOut, reconnectDelay } from "@/lib/client/reconnect";
import type { Connection } from "./actions";
import type { ChatSocket } from "./socket";

export type KeepConnectedDeps = {
  /** Asks whether the session is still good: rejects with an ApiError "unauthorized" when it is over. */
  checkSession: () => Promise<unknown>;
  navigate: (url: string) => void;
  /** Runs `task` after `ms`; returns what cancels it. */
  schedule: (task: () => void, ms: number) => () => void;
  /** Calls `listener` when the browser is back online; returns what stops it. */
  onOnline: (listener: () => void) => () => void;
  random?: () => number;
  onChange: (connection: Connection) => void;
  onConnected: () => void;
};

/**
 * Connects `socket` and keeps it connected. Every failure to connect, and every loss of the connection
 * the client did not ask for, is retried with a growing, jittered delay: a server in trouble (its
 * database down) refuses the handshake, and Socket.IO would then leave the page offline until a reload.
 * Only a handshake refused as unauthorized, a session that is over, sends the page to sign in instead.
 * Returns what stops it (without disconnecting).
 */
export function keepConnected(socket: ChatSocket, deps: KeepConnectedDeps): () => void {
  let failures = 0;
  let stopped = false;
  let cancelRetry = () => {};
  const connectLater = () => {
    if (stopped) return;
    cancelRetry();
    cancelRetry = deps.schedule(() => socket.connect(), reconnectDelay(failures++, deps.random));
  };
  const connectNow = () => {
    if (socket.connected) return;
    cancelRetry();
    failures = 0;
    socket.connect();
  };
  // Back online: no need to wait out the delay.
  const stopWatchingOnline = deps.onOnline(connectNow);

  socket.on("connect", () => {
    failures = 0;
    deps.onChange("connected");
    deps.onConnected();
  });
  socket.on("disconnect", (reason) => {
    deps.onChange("disconnected");
    if (reason === "io client disconnect") return;
    // The server let go of this socket on purpose: its session ended (signed out elsewhere, expired),
    // or the server dropped it for another reason.
    if (reason === "io server disconnect") {
      deps
        .checkSession()
        .then(connectLater, (error: unknown) =>
          error instanceof ApiError && error.code === "unauthorized" ? deps.navigate("/signin") : connectLater(),
        );
      return;
    }
    connectLater();
  });
  socket.on("connect_error", (error) => {
    deps.onChange("disconnected");
    if (isSignedOut(error)) deps.navigate("/signin");
    else connectLater();
  });
  socket.connect();

  return () => {
    stopped = true;
    cancelRetry();
    stopWatchingOnline();
  };
}
