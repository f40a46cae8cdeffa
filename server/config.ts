import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { isAddressOrRange } from "./http/client-address";

/**
 * All configuration is read and validated here, once per process. The result
 * lives on globalThis because Next's bundled route handlers load their own copy
 * of this module and must see the same values as the custom server.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  PUBLIC_URL: z.string().url().optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  SESSION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  SOCKET_WRITES_PER_SECOND: z.coerce.number().positive().default(3),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .refine(
      (list) => splitList(list).every(isAddressOrRange),
      "a comma-separated list of IP addresses and CIDR ranges",
    ),
  LINK_PREVIEW_ALLOWED_ADDRESSES: z
    .string()
    .optional()
    .refine((list) => splitList(list).every((a) => isIP(a) !== 0), "a comma-separated list of IP addresses"),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  authSecret: string;
  publicUrl: string | undefined;
  /** Origins allowed to open a socket besides the page's own host. */
  allowedOrigins: string[];
  secureCookies: boolean;
  /** How often each process asks whether the sessions of its sockets are still live. */
  sessionCheckIntervalMs: number;
  /** Sustained writes (message sends) one socket may make; see server/realtime/event-limits.ts. */
  socketWritesPerSecond: number;
  /**
   * Addresses and CIDR ranges of reverse proxies whose X-Forwarded-For is believed;
   * from anyone else the header is ignored.
   */
  trustedProxies: string[];
  /**
   * Addresses outside the public internet that link previews may fetch (an intranet's wiki); none by
   * default, since a preview fetch is the server reaching wherever a message points.
   */
  linkPreviewAllowedAddresses: string[];
};

const globalKey = Symbol.for("parley.config");
type GlobalWithConfig = typeof globalThis & { [globalKey]?: Config };

export function getConfig(): Config {
  const g = globalThis as GlobalWithConfig;
  g[globalKey] ??= loadConfig(process.env);
  return g[globalKey];
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${details}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = e.PUBLIC_URL;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    authSecret: e.AUTH_SECRET ?? readOrCreateSecret(dataDir),
    publicUrl,
    allowedOrigins: splitList(e.ALLOWED_ORIGINS),
    secureCookies: publicUrl?.startsWith("https://") ?? false,
    sessionCheckIntervalMs: e.SESSION_CHECK_INTERVAL_MS,
    socketWritesPerSecond: e.SOCKET_WRITES_PER_SECOND,
    trustedProxies: splitList(e.TRUSTED_PROXIES),
    linkPreviewAllowedAddresses: splitList(e.LINK_PREVIEW_ALLOWED_ADDRESSES),
  };
}

function splitList(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A fresh install generates its auth secret once and keeps it in DATA_DIR. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}
