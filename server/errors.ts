import type { ErrorCode, WireError } from "@/lib/protocol";
import { ZodError } from "zod";

/** A failure the caller can act on; transports map its code to a 4xx status or an ack. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Turns anything thrown into what goes on the wire; unexpected errors are logged, not leaked. */
export function toWireError(error: unknown): WireError {
  if (isAppError(error)) return { code: error.code, message: error.message, ...error.details };
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    return { code: "bad_request", message: `${where}${first?.message ?? "Invalid input"}` };
  }
  console.error("Unexpected error", error);
  return { code: "internal", message: "Something went wrong on the server" };
}

/**
 * Next's route handlers load their own copy of this module, and state shared on
 * globalThis can carry an AppError made by either copy across: recognised by
 * name rather than by class.
 */
function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error instanceof Error && error.name === "AppError" && "code" in error);
}
