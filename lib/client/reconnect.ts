import { wireErrorSchema } from "@/lib/protocol";

const FIRST_DELAY_MS = 500;
const LONGEST_DELAY_MS = 10_000;

/**
 * How long to wait before connection attempt `attempt` + 1 after `attempt` failures in a row (0 for
 * the first retry): doubling from half a second up to 10 s, each a random point in the upper half of
 * its step, so that the clients of a restarted server come back spread out, yet soon.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
  return step / 2 + (step / 2) * random();
}

/**
 * Whether a failed connection means the session is over (the handshake was refused as
 * unauthorized) rather than trouble on the way or at the server, which is retried.
 */
export function isSignedOut(connectError: Error): boolean {
  const data = wireErrorSchema.safeParse((connectError as Error & { data?: unknown }).data);
  return data.success && data.data.code === "unauthorized";
}
