import { z } from "@/lib/zod";

const errorCodes = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "payload_too_large",
  "rate_limited",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const wireErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** With rate_limited: how long to wait before trying again. */
  retryAfterSeconds: z.number().int().positive().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** The body of every HTTP error response. */
export type ErrorBody = { error: WireError };

/** Every socket acknowledgement. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError };
