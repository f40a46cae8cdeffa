import type { ErrorBody, ErrorCode } from "@/lib/protocol";

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | "network",
    message: string,
    /** With rate_limited: how long the server asks to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const LIMITED_RETRIES = 3;

/**
 * Runs a read again when the server answers rate_limited, after the wait it
 * names: a catch-up that asks for many pages at once is slowed, not cut short.
 */
export async function retryWhenLimited<T>(
  read: () => Promise<T>,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "rate_limited" || attempt >= LIMITED_RETRIES) throw error;
      await wait((error.retryAfterSeconds ?? 1) * 1000);
    }
  }
}

/** Calls a Parley API route and returns its JSON, or throws the route's error. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("network", "Parley cannot be reached. Check your connection.");
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
  if (!response.ok) {
    const error = body?.error;
    throw new ApiError(
      error?.code ?? "internal",
      error?.message ?? `Request failed (${response.status})`,
      error?.retryAfterSeconds,
    );
  }
  return body as T;
}
