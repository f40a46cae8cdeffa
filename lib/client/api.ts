import type { ErrorBody, ErrorCode } from "@/lib/protocol";

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | "network",
    message: string,
  ) {
    super(message);
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
    throw new ApiError(body?.error?.code ?? "internal", body?.error?.message ?? `Request failed (${response.status})`);
  }
  return body as T;
}
