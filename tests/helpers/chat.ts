import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  channelListingSchema,
  conversationSchema,
  messagePageSchema,
  personSchema,
  sidebarSchema,
  type Sidebar,
  type ChannelListing,
  type Conversation,
  type Message,
  type MessagePage,
} from "@/lib/protocol";
import { api, expectBody } from "./http";
import { emitWithAck, type ClientSocket } from "./socket";

/** Sends over the socket and returns the stored message; throws when the server refuses. */
export async function sendMessage(
  socket: ClientSocket,
  conversationId: string,
  text: string,
  clientMessageId: string = randomUUID(),
): Promise<Message> {
  const ack = await emitWithAck(socket, "message:send", { conversationId, clientMessageId, text });
  if (!ack.ok) throw new Error(`message:send was refused: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export async function history(
  baseUrl: string,
  cookie: string,
  conversationId: string,
  query: Record<string, number> = {},
): Promise<MessagePage> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await api(baseUrl, cookie).get(`/api/conversations/${conversationId}/messages?${params}`);
  return expectBody(res, 200, messagePageSchema);
}

/** Every message of a conversation, oldest first, read page by page. */
export async function fullHistory(baseUrl: string, cookie: string, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ;) {
    const page = await history(baseUrl, cookie, conversationId, { after, limit: 200 });
    all.push(...page.messages);
    if (!page.hasMore) return all;
    after = page.messages.at(-1)?.seq ?? after;
  }
}

export async function createChannel(
  baseUrl: string,
  cookie: string,
  name: string,
  options: { isPrivate?: boolean } = {},
): Promise<Conversation> {
  const res = await api(baseUrl, cookie).post("/api/channels", { name, ...options });
  return expectBody(res, 201, z.object({ conversation: conversationSchema })).conversation;
}

export async function joinChannel(baseUrl: string, cookie: string, id: string): Promise<Conversation> {
  const res = await api(baseUrl, cookie).post(`/api/conversations/${id}/join`);
  return expectBody(res, 200, z.object({ conversation: conversationSchema })).conversation;
}

/** The direct or group message with these people (the caller is added), found again or started. */
export async function openDirect(baseUrl: string, cookie: string, userIds: string[]): Promise<Conversation> {
  const res = await api(baseUrl, cookie).post("/api/conversations/direct", { userIds });
  return expectBody(res, 200, z.object({ conversation: conversationSchema })).conversation;
}

export async function addMembers(baseUrl: string, cookie: string, id: string, userIds: string[]): Promise<void> {
  const res = await api(baseUrl, cookie).post(`/api/conversations/${id}/members`, { userIds });
  expectBody(res, 200, z.object({ added: z.array(personSchema) }));
}

export async function sidebar(baseUrl: string, cookie: string): Promise<Sidebar> {
  return expectBody(await api(baseUrl, cookie).get("/api/conversations"), 200, sidebarSchema);
}

export async function myConversations(baseUrl: string, cookie: string): Promise<Conversation[]> {
  return (await sidebar(baseUrl, cookie)).conversations;
}

export async function channelDirectory(
  baseUrl: string,
  cookie: string,
  options: { archived?: boolean } = {},
): Promise<ChannelListing[]> {
  const res = await api(baseUrl, cookie).get(`/api/channels${options.archived ? "?archived=true" : ""}`);
  return expectBody(res, 200, z.object({ channels: z.array(channelListingSchema) })).channels;
}

/** The id of #general, which every member is in. */
export async function generalId(baseUrl: string, cookie: string): Promise<string> {
  const general = (await myConversations(baseUrl, cookie)).find((c) => c.name === "general");
  if (!general) throw new Error("#general is not in this user's conversations");
  return general.id;
}

/** A channel name no other test uses. */
export function uniqueChannelName(prefix = "chan"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
