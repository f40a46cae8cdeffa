import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { api, expectError } from "./http";
import { myConversations } from "./chat";
import { emitWithAck, type ClientSocket } from "./socket";

/**
 * Asserts that someone may not know this conversation exists: every route and
 * socket event about it answers not_found (never forbidden, which would tell
 * them it is there), and it is not in their sidebar.
 */
export async function expectHidden(
  baseUrl: string,
  cookie: string,
  socket: ClientSocket,
  conversationId: string,
): Promise<void> {
  const as = api(baseUrl, cookie);
  const path = `/api/conversations/${conversationId}`;
  expectError(await as.get(path), 404, "not_found");
  expectError(await as.get(`${path}/messages`), 404, "not_found");
  expectError(await as.get(`${path}/members`), 404, "not_found");
  expectError(await as.post(`${path}/messages`, { clientMessageId: randomUUID(), text: "hi" }), 404, "not_found");
  expectError(await as.request("PATCH", path, { json: { topic: "peek" } }), 404, "not_found");
  expectError(await as.post(`${path}/join`), 404, "not_found");
  expectError(await as.post(`${path}/leave`), 404, "not_found");
  expectError(await as.post(`${path}/members`, { userIds: [randomUUID()] }), 404, "not_found");
  expectError(await as.request("DELETE", `${path}/members/${randomUUID()}`), 404, "not_found");
  expectError(await as.post(`${path}/archive`), 404, "not_found");
  expectError(await as.post(`${path}/private`), 404, "not_found");

  const refusals = await Promise.all([
    emitWithAck(socket, "messages:history", { conversationId }),
    emitWithAck(socket, "message:send", { conversationId, clientMessageId: randomUUID(), text: "hi" }),
    emitWithAck(socket, "conversation:read", { conversationId, seq: 1 }),
    emitWithAck(socket, "changes:list", { streams: [{ id: conversationId, after: 0 }] }),
  ]);
  for (const ack of refusals) expect(ack).toMatchObject({ ok: false, error: { code: "not_found" } });

  expect((await myConversations(baseUrl, cookie)).map((c) => c.id)).not.toContain(conversationId);
}
