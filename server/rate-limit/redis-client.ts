import { createClient, type RedisClientType } from "redis";
import { getConfig } from "@/server/config";

const globalKey = Symbol.for("parley.redisCommands");
type GlobalWithRedis = typeof globalThis & { [globalKey]?: RedisClientType };

/**
 * One Redis connection per process for plain commands (rate limits), or
 * undefined without REDIS_URL. It lives on globalThis because Next's route
 * handlers load their own copy of this module. Commands are not queued while
 * it is disconnected: callers that must keep working through a Redis outage
 * (the rate limiters) check `isReady` and fall back.
 */
export function redisCommands(): RedisClientType | undefined {
  const url = getConfig().redisUrl;
  if (!url) return undefined;
  const g = globalThis as GlobalWithRedis;
  if (!g[globalKey]) {
    const client: RedisClientType = createClient({ url, disableOfflineQueue: true });
    client.on("error", (error: unknown) => console.error("Redis (commands) error", error));
    client.connect().catch((error: unknown) => console.error("Redis (commands) could not connect", error));
    g[globalKey] = client;
  }
  return g[globalKey];
}

/** Closes the connection, if one was opened; the next redisCommands() opens a new one. */
export async function closeRedisCommands(): Promise<void> {
  const g = globalThis as GlobalWithRedis;
  const client = g[globalKey];
  g[globalKey] = undefined;
  if (client?.isOpen) await client.quit().catch(() => client.destroy());
}
