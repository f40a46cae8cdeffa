import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Config } from "@/server/config";
import { isAllowedOrigin, requestScheme } from "@/server/http/origin";
import { authenticateSocket } from "./authenticate-socket";
import { engineOptions } from "./engine-options";
import { fanOut } from "./fan-out";
import { handleEvents } from "./handle-events";
import { localRelay, redisRelay, type EventRelay } from "./event-relay";
import { syncRooms } from "./membership-rooms";
import { rooms } from "./rooms";
import { watchSessions } from "./session-liveness";
import type { ParleyServer, ParleySocket } from "./types";

/** Socket.IO on the same HTTP server as Next, with the Redis adapter when REDIS_URL is set. */
export async function attachRealtime(
  httpServer: HttpServer,
  config: Config,
): Promise<{ io: ParleyServer; close: () => Promise<void> }> {
  const io: ParleyServer = new Server(httpServer, {
    ...engineOptions,
    // The cors option covers polling only; allowRequest also guards WebSocket upgrades.
    allowRequest: (req, callback) => {
      const scheme = requestScheme(req.headers["x-forwarded-proto"], "encrypted" in req.socket);
      const allowed = isAllowedOrigin(req.headers.origin, { host: req.headers.host, scheme });
      callback(allowed ? null : "Origin not allowed", allowed);
    },
  });
  const redis = config.redisUrl
    ? await useRedis(io, config.redisUrl, () => resyncAll(io))
    : { relay: localRelay, close: async () => {} };

  io.use((socket, next) => void authenticateSocket(socket, next));
  io.on("connection", (socket) => {
    const { user, conversationIds } = socket.data;
    // Joined synchronously, in the tick the client is told it is connected.
    void socket.join([rooms.user(user.id), rooms.session(user.sessionId), ...conversationIds.map(rooms.conversation)]);
    handleEvents(socket);
    // Read after joining: anything committed later arrives live, anything earlier is counted here.
    resync(socket);
  });
  const stopFanOut = fanOut(io, redis.relay);
  const stopWatchingSessions = watchSessions(io, config.sessionCheckIntervalMs);

  return {
    io,
    close: async () => {
      await stopWatchingSessions();
      stopFanOut();
      await io.close();
      await redis.close();
    },
  };
}

/** Sets the socket's rooms to its user's conversations now, and tells it where each stream stands. */
function resync(socket: ParleySocket): void {
  syncRooms(socket).then(
    (states) => socket.emit("conversations:sync", states),
    (error: unknown) => console.error("Could not send conversation states", error),
  );
}

/**
 * After Redis came back, every socket of this process is synced as after a
 * connect: what the other processes published meanwhile was lost, a member
 * removed elsewhere may still be in a room here, and the clients catch up
 * from the sync.
 */
function resyncAll(io: ParleyServer): void {
  for (const socket of io.of("/").sockets.values()) resync(socket);
}

/**
 * The pub/sub adapter: each emit is one PUBLISH, the lowest latency of the
 * three adapters. Its delivery is at most once, which Parley accepts because
 * clients catch up from sequence numbers after any reconnect, and each process
 * resyncs its sockets when its subscription comes back after an outage.
 * Messages and changes travel on the same connections, through the relay.
 */
async function useRedis(
  io: ParleyServer,
  url: string,
  onRecovered: () => void,
): Promise<{ relay: EventRelay; close: () => Promise<void> }> {
  const { createClient } = await import("redis");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on("error", (error) => console.error("Redis publisher error", error));
  sub.on("error", (error) => console.error("Redis subscriber error", error));
  await Promise.all([pub.connect(), sub.connect()]);
  let lost = false;
  sub.on("reconnecting", () => (lost = true));
  // Ready again: node-redis has subscribed anew (the adapter's channels and the relay's).
  sub.on("ready", () => {
    if (!lost) return;
    lost = false;
    onRecovered();
  });
  io.adapter(createAdapter(pub, sub));
  return {
    relay: await redisRelay(pub, sub),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
