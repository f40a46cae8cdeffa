import { endedSessions } from "@/server/auth/sessions";
import type { ParleyServer, ParleySocket } from "./types";

// setTimeout takes at most a signed 32-bit delay and fires at once beyond it; later expiries are
// left to the periodic check, which is asked again long before they come.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Ends the sockets whose session has ended. Signing out disconnects the session's
 * room at once through the Redis adapter, but that event is lost when Redis is
 * down or a session ends without one (expiry, deactivation, a row deleted by
 * hand). So each process also asks the database, every `intervalMs`, which
 * sessions of its own sockets have ended (one statement for all of them) and
 * disconnects their sockets; and each socket ends on time at its session's
 * expiry. A database that does not answer ends
 * nobody: the check is tried again next time.
 * Returns a function that stops checking, after the check under way.
 */
export function watchSessions(io: ParleyServer, intervalMs: number): () => Promise<void> {
  const onConnection = (socket: ParleySocket) => endAtExpiry(socket);
  io.on("connection", onConnection);

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const tick = () => {
    running = checkSessions(io)
      .catch((error: unknown) => console.error("Could not check the sessions of connected sockets", error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return async () => {
    stopped = true;
    clearTimeout(timer);
    io.off("connection", onConnection);
    await running;
  };
}

async function checkSessions(io: ParleyServer): Promise<void> {
  const sockets = io.of("/").sockets;
  const asked = new Set<string>();
  for (const socket of sockets.values()) asked.add(socket.data.user.sessionId);
  if (asked.size === 0) return;
  const ended = await endedSessions([...asked]);
  if (ended.size === 0) return;
  for (const socket of sockets.values()) {
    if (ended.has(socket.data.user.sessionId)) socket.disconnect(true);
  }
}

function endAtExpiry(socket: ParleySocket): void {
  const delay = socket.data.sessionExpiresMs - Date.now();
  if (delay > LONGEST_TIMER_MS) return;
  const timer = setTimeout(() => socket.disconnect(true), Math.max(0, delay));
  socket.once("disconnect", () => clearTimeout(timer));
}
