import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { z } from "zod";
import {
  changePageSchema,
  channelListingSchema,
  conversationInfoSchema,
  conversationSchema,
  directoryPersonSchema,
  mentionPageSchema,
  messagePageSchema,
  messageSchema,
  parseJsonBytes,
  personSchema,
  sidebarSchema,
  threadListSchema,
  userSchema,
  workspaceSettingsSchema,
  type JsonBytes,
} from "@/lib/protocol";
import { uniqueChannelName } from "../helpers/chat";
import { api, uniqueEmail, type SignedInUser } from "../helpers/http";
import { emitUntypedWithAck } from "../helpers/socket";
import {
  isLocked,
  meaningless,
  startsAsMember,
  verdict,
  type ActorKind,
  type TargetKind,
  type Verb,
  type Verdict,
} from "./expected";
import type { Fixture, Snapshot, World } from "./world";

/** One call of the matrix: who makes it, about which fixture. */
export type Ctx = {
  world: World;
  actor: ActorKind;
  target: TargetKind | null;
  fixture: Fixture | null;
  caller: SignedInUser | null;
  /** Unique per call, for names and texts. */
  tag: string;
  /** The message a call is about, when its case has a `setup` that sends one; else the conversation's first. */
  messageSeq?: number;
};

type Expectation = (actor: ActorKind, target: TargetKind | null) => Verdict | "meaningless";

type CaseBase = {
  /** What the call does, when a route or event has several. */
  label: string;
  /** Run once per target kind, or once per actor. */
  perTarget: boolean;
  /** Changes the conversation: each actor who may get past sign-in gets a fixture of its own. */
  mutates: boolean;
  expect: Expectation;
  /** What an allowed change does to the conversation; a refused one leaves it as it was. */
  effect?: (before: Snapshot, c: Ctx) => Snapshot;
  /** More to check in an allowed answer (throws on a mismatch). */
  verify?: (body: unknown, c: Ctx) => void | Promise<void>;
  /** Prepares what the call is about, before the conversation is looked at. */
  setup?: (c: Ctx) => Promise<Partial<Ctx>>;
};

export type HttpCase = CaseBase & {
  request: (c: Ctx) => { path: string; json?: unknown; form?: Record<string, string> };
  /** The status of an allowed call. */
  status: number;
};

export type EventCase = CaseBase & { payload: (c: Ctx) => unknown };

/** The verdict of the rules for a verb on the target, for the actor. */
const byVerb =
  (verb: Verb): Expectation =>
  (actor, target) => {
    if (!target) throw new Error(`${verb} needs a target`);
    return meaningless(actor, target) ? "meaningless" : verdict(actor, target, verb);
  };

/** Any live session may: the call concerns the caller, not a conversation. */
const signedIn: Expectation = (actor, target) =>
  target && meaningless(actor, target)
    ? "meaningless"
    : isLocked(actor)
      ? { allowed: false, refusal: "unauthorized" }
      : { allowed: true };

const anyone: Expectation = () => ({ allowed: true });

/** The workspace's own settings: an admin's business alone. */
const adminOnly: Expectation = (actor) =>
  isLocked(actor)
    ? { allowed: false, refusal: "unauthorized" }
    : actor === "admin"
      ? { allowed: true }
      : { allowed: false, refusal: "forbidden" };

const conversationPath = (c: Ctx, rest = "") => `/api/conversations/${c.fixture!.id}${rest}`;
const withMembers = (s: Snapshot, ids: string[]): Snapshot => ({
  ...s,
  memberIds: ids.sort(),
  memberCount: ids.length,
});
const callerId = (c: Ctx) => c.caller?.user.id;
/** The people of the fixture's conversation other than the caller, as an outsider or a member would name them. */
const othersIn = (c: Ctx): string[] => {
  const f = c.fixture!;
  const people = f.target === "othersDm" ? [f.creator, f.member] : [f.creator, f.member, f.witness!];
  if (f.target === "othersDm" || f.target === "othersGroup") {
    return people.map((p) => p.user.id).filter((id) => id !== callerId(c));
  }
  return [(c.caller === f.creator ? f.member : f.creator).user.id];
};
const isDirect = (target: TargetKind | null) => target === "othersDm" || target === "othersGroup";

/** Parses a body, failing the case with the body in the message when it does not fit. */
const parse = <S extends z.ZodType>(schema: S, body: unknown): z.infer<S> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`unexpected body ${JSON.stringify(body)}: ${parsed.error.message}`);
  return parsed.data;
};

/**
 * A message of the fixture's creator for a call to change: sent fresh (others may have changed the first
 * one of #general, which every call shares), or, where nobody may post, the conversation's first.
 */
const creatorsMessage = async (c: Ctx): Promise<Partial<Ctx>> => {
  const f = c.fixture!;
  if (f.target === "archivedChannel") return { messageSeq: 1 };
  const res = await api(c.world.server.url, f.creator.cookie).post(`/api/conversations/${f.id}/messages`, {
    clientMessageId: randomUUID(),
    text: `message ${c.tag}`,
  });
  return { messageSeq: parse(z.object({ message: messageSchema }), res.body).message.seq };
};
/**
 * The creator's fresh message with the caller's reaction on it, where the caller may react (else none):
 * what a call to take a reaction back finds.
 */
const reactedMessage = async (c: Ctx): Promise<Partial<Ctx>> => {
  const made = await creatorsMessage(c);
  if (!c.caller || verdictFor(c).allowed === false) return made;
  const socket = await c.world.socketOf(c.caller);
  const ack = (await emitUntypedWithAck(socket, "reaction:add", [
    { conversationId: c.fixture!.id, seq: made.messageSeq, emoji: "🎉" },
  ])) as { ok: boolean };
  if (!ack.ok) throw new Error("Could not react before taking the reaction back");
  return made;
};
/** A reply to the creator's message, in its thread: the conversation itself stays as it was. */
const replyCase: CaseBase = {
  label: "reply to the creator's message",
  perTarget: true,
  mutates: true,
  expect: byVerb("post"),
  setup: creatorsMessage,
};
const verifyReply = (body: unknown, c: Ctx) => {
  const reply = parse(messageSchema, body);
  expect(reply).toMatchObject({ text: `reply ${c.tag}`, seq: 1 });
  expect(reply.conversationId).not.toBe(c.fixture!.id);
};
/** Following the thread of the creator's message: whoever may read the conversation. */
const followCase: CaseBase = {
  label: "follow the thread of the creator's message",
  perTarget: true,
  mutates: true,
  expect: byVerb("read"),
  setup: creatorsMessage,
  verify: (body) => expect(parse(z.object({ threadId: z.uuid(), following: z.literal(true) }), body)).toBeTruthy(),
};
const listThreadsCase: CaseBase = {
  label: "the Threads view lists the caller's follows",
  perTarget: false,
  mutates: false,
  expect: signedIn,
  verify: (body) => expect(parse(threadListSchema, body).threads).toEqual(expect.any(Array)),
};
const verdictFor = (c: Ctx) => verdict(c.actor, c.target!, "react");
/** The texts after the call's message became `text`. */
const rewritten = (s: Snapshot, c: Ctx, text: string): Snapshot => ({
  ...s,
  texts: s.texts.map((t) => (t === `message ${c.tag}` ? text : t)),
});
const messagePath = (c: Ctx) => conversationPath(c, `/messages/${c.messageSeq ?? 1}`);
const editCase = {
  label: "edit the creator's message",
  perTarget: true,
  mutates: true,
  expect: byVerb("editMessage"),
  setup: creatorsMessage,
  effect: (s: Snapshot, c: Ctx) => rewritten(s, c, `edited ${c.tag}`),
};
const deleteCase = {
  label: "delete the creator's message",
  perTarget: true,
  mutates: true,
  expect: byVerb("deleteMessage"),
  setup: creatorsMessage,
  effect: (s: Snapshot, c: Ctx) => rewritten(s, c, ""),
};
const messageOf = (body: unknown) => parse(z.object({ message: messageSchema }), body).message;

/**
 * A row for every "METHOD /api/path" under app/api. The matrix fails when a
 * route exists without a row here, or a row names a route that does not exist.
 */
export const routeRows: Record<string, HttpCase[]> = {
  "GET /api/auth/[...nextauth]": [
    {
      label: "the session",
      perTarget: false,
      mutates: false,
      expect: anyone,
      request: () => ({ path: "/api/auth/session" }),
      status: 200,
      // next-auth's own answer: the person for a live session, {} for any other.
      verify: (body, c) =>
        expect(body).toEqual(
          isLocked(c.actor)
            ? {}
            : expect.objectContaining({ user: expect.objectContaining({ email: c.caller!.email }) }),
        ),
    },
  ],
  "POST /api/auth/[...nextauth]": [
    {
      label: "a sign-out without the CSRF token",
      perTarget: false,
      mutates: false,
      expect: anyone,
      request: () => ({ path: "/api/auth/signout", form: { json: "true" } }),
      status: 200,
      // next-auth answers with its page that asks for confirmation, and ends nothing.
      verify: async (body, c) => {
        expect(parse(z.object({ url: z.string() }), body).url).toContain("/api/auth/signout?csrf=true");
        if (isLocked(c.actor)) return;
        expect((await api(c.world.server.url, c.caller!.cookie).get("/api/me")).status, "still signed in").toBe(200);
      },
    },
  ],
  "POST /api/signup": [
    {
      label: "a new person",
      perTarget: false,
      mutates: false,
      expect: anyone,
      request: () => ({
        path: "/api/signup",
        json: { name: "Newcomer", email: uniqueEmail(), password: "correct horse battery", workspaceName: "Other" },
      }),
      status: 201,
      // Only the first person to sign up is the admin, whoever asks.
      verify: (body) => expect(parse(z.object({ user: userSchema }), body).user.role).toBe("member"),
    },
  ],
  "GET /api/workspace": [
    {
      label: "its name",
      perTarget: false,
      mutates: false,
      expect: anyone,
      request: () => ({ path: "/api/workspace" }),
      status: 200,
      verify: (body) => expect(body).toEqual({ name: "Matrix", needsSetup: false }),
    },
  ],
  "GET /api/workspace/settings": [
    {
      label: "the workspace's settings",
      perTarget: false,
      mutates: false,
      expect: adminOnly,
      request: () => ({ path: "/api/workspace/settings" }),
      status: 200,
      verify: (body) => expect(parse(workspaceSettingsSchema, body)).toEqual({ messageEditWindowSeconds: null }),
    },
  ],
  "PATCH /api/workspace/settings": [
    {
      // Set to what it is (no limit), so that the matrix's edits run under the same rules whatever the order.
      label: "change the edit window",
      perTarget: false,
      mutates: false,
      expect: adminOnly,
      request: () => ({ path: "/api/workspace/settings", json: { messageEditWindowSeconds: null } }),
      status: 200,
      verify: (body) => expect(parse(workspaceSettingsSchema, body)).toEqual({ messageEditWindowSeconds: null }),
    },
  ],
  "GET /api/link-previews/images/[id]": [
    {
      // Anyone signed in may see any kept image (link-previews.test.ts shows one served); the matrix has
      // none, so past the door every caller hears the same not found, and a locked one never gets that far.
      label: "a preview image",
      perTarget: false,
      mutates: false,
      expect: signedIn,
      request: () => ({ path: `/api/link-previews/images/${"A".repeat(43)}` }),
      status: 404,
    },
  ],
  "GET /api/me": [
    {
      label: "who I am",
      perTarget: false,
      mutates: false,
      expect: signedIn,
      request: () => ({ path: "/api/me" }),
      status: 200,
      verify: (body, c) => expect(parse(z.object({ user: userSchema }), body).user.id).toBe(callerId(c)),
    },
  ],
  "GET /api/users": [
    {
      label: "the people picker finds active people only",
      perTarget: false,
      mutates: false,
      expect: signedIn,
      request: (c) => ({ path: `/api/users?q=${encodeURIComponent(c.world.deactivated.email)}` }),
      status: 200,
      verify: (body) => expect(parse(z.object({ people: z.array(directoryPersonSchema) }), body).people).toEqual([]),
    },
  ],
  "GET /api/channels": [
    {
      label: "the directory lists public channels only",
      perTarget: true,
      mutates: false,
      expect: signedIn,
      request: () => ({ path: "/api/channels" }),
      status: 200,
      verify: (body, c) => {
        const ids = parse(z.object({ channels: z.array(channelListingSchema) }), body).channels.map((l) => l.id);
        const listed = c.target === "publicChannel" || c.target === "general";
        expect(ids.includes(c.fixture!.id), `listed: ${String(listed)}`).toBe(listed);
      },
    },
  ],
  "POST /api/channels": [
    {
      label: "a new channel",
      perTarget: false,
      mutates: false,
      expect: signedIn,
      request: () => ({ path: "/api/channels", json: { name: uniqueChannelName("made") } }),
      status: 201,
    },
  ],
  "GET /api/conversations": [
    {
      label: "the sidebar lists the caller's conversations only",
      perTarget: true,
      mutates: false,
      expect: signedIn,
      request: () => ({ path: "/api/conversations" }),
      status: 200,
      verify: (body, c) => {
        const ids = parse(sidebarSchema, body).conversations.map((s) => s.id);
        expect(ids.includes(c.fixture!.id)).toBe(startsAsMember(c.actor, c.target!));
      },
    },
  ],
  "GET /api/mentions": [
    {
      label: "lists mentions in the caller's own conversations only",
      perTarget: true,
      mutates: true,
      expect: signedIn,
      setup: async (c) => {
        const f = c.fixture!;
        if (f.target === "archivedChannel") return {};
        const res = await api(c.world.server.url, f.creator.cookie).post(`/api/conversations/${f.id}/messages`, {
          clientMessageId: randomUUID(),
          text: `<!channel> ${c.tag}`,
        });
        parse(z.object({ message: messageSchema }), res.body);
        return {};
      },
      request: () => ({ path: "/api/mentions?limit=100" }),
      status: 200,
      verify: (body, c) => {
        const f = c.fixture!;
        const { mentions } = parse(mentionPageSchema, body);
        const listed = mentions.some((m) => m.message.conversationId === f.id);
        const mentioned =
          startsAsMember(c.actor, c.target!) && f.target !== "archivedChannel" && callerId(c) !== f.creator.user.id;
        expect(listed, `listed: ${String(mentioned)}`).toBe(mentioned);
      },
    },
  ],
  "POST /api/conversations/direct": [
    {
      label: "opening one with the target's people finds it only for its members",
      perTarget: true,
      mutates: false,
      expect: signedIn,
      request: (c) => ({ path: "/api/conversations/direct", json: { userIds: othersIn(c) } }),
      status: 200,
      verify: (body, c) => {
        const { conversation } = parse(z.object({ conversation: conversationSchema }), body);
        const same = isDirect(c.target) && startsAsMember(c.actor, c.target!);
        expect(conversation.id === c.fixture!.id, `the same conversation: ${String(same)}`).toBe(same);
      },
    },
  ],
  "GET /api/conversations/[id]": [
    {
      label: "view",
      perTarget: true,
      mutates: false,
      expect: byVerb("view"),
      request: (c) => ({ path: conversationPath(c) }),
      status: 200,
      verify: (body, c) => {
        const got = parse(z.object({ conversation: conversationInfoSchema, isMember: z.boolean() }), body);
        expect(got.conversation.id).toBe(c.fixture!.id);
        expect(got.isMember).toBe(startsAsMember(c.actor, c.target!));
      },
    },
  ],
  "PATCH /api/conversations/[id]": [
    {
      label: "rename",
      perTarget: true,
      mutates: true,
      expect: byVerb("rename"),
      request: (c) => ({ path: conversationPath(c), json: { name: `renamed-${c.tag}` } }),
      status: 200,
      effect: (s, c) => ({ ...s, name: `renamed-${c.tag}` }),
    },
    {
      label: "topic and description",
      perTarget: true,
      mutates: true,
      expect: byVerb("editTopic"),
      request: (c) => ({ path: conversationPath(c), json: { topic: `topic ${c.tag}`, description: `about ${c.tag}` } }),
      status: 200,
      effect: (s, c) => ({ ...s, topic: `topic ${c.tag}`, description: `about ${c.tag}` }),
    },
    {
      label: "keep @channel and @here for the creator and admins",
      perTarget: true,
      mutates: true,
      expect: byVerb("restrictMentions"),
      request: (c) => ({ path: conversationPath(c), json: { mentionsRestricted: true } }),
      status: 200,
      verify: (body) => {
        const { conversation } = parse(z.object({ conversation: conversationInfoSchema }), body);
        expect(conversation.mentionsRestricted).toBe(true);
      },
    },
  ],
  "POST /api/conversations/[id]/archive": [
    {
      label: "archive",
      perTarget: true,
      mutates: true,
      expect: byVerb("archive"),
      request: (c) => ({ path: conversationPath(c, "/archive") }),
      status: 200,
      effect: (s) => ({ ...s, archived: true }),
    },
  ],
  "DELETE /api/conversations/[id]/archive": [
    {
      label: "unarchive",
      perTarget: true,
      mutates: true,
      expect: byVerb("unarchive"),
      request: (c) => ({ path: conversationPath(c, "/archive") }),
      status: 200,
      effect: (s) => ({ ...s, archived: false }),
    },
  ],
  "POST /api/conversations/[id]/join": [
    {
      label: "join",
      perTarget: true,
      mutates: true,
      expect: byVerb("join"),
      request: (c) => ({ path: conversationPath(c, "/join") }),
      status: 200,
      effect: (s, c) => withMembers(s, [...new Set([...s.memberIds, callerId(c)!])]),
    },
  ],
  "POST /api/conversations/[id]/leave": [
    {
      label: "leave",
      perTarget: true,
      mutates: true,
      expect: byVerb("leave"),
      request: (c) => ({ path: conversationPath(c, "/leave") }),
      status: 204,
      effect: (s, c) =>
        withMembers(
          s,
          s.memberIds.filter((id) => id !== callerId(c)),
        ),
    },
  ],
  "GET /api/conversations/[id]/members": [
    {
      label: "list members",
      perTarget: true,
      mutates: false,
      expect: byVerb("listMembers"),
      request: (c) => ({ path: conversationPath(c, "/members") }),
      status: 200,
      verify: (body, c) =>
        expect(parse(z.object({ members: z.array(personSchema) }), body).members.map((m) => m.id)).toContain(
          c.fixture!.member.user.id,
        ),
    },
  ],
  "POST /api/conversations/[id]/members": [
    {
      label: "add someone",
      perTarget: true,
      mutates: true,
      expect: byVerb("addMembers"),
      request: (c) => ({ path: conversationPath(c, "/members"), json: { userIds: [c.fixture!.newcomer.user.id] } }),
      status: 200,
      effect: (s, c) => withMembers(s, [...new Set([...s.memberIds, c.fixture!.newcomer.user.id])]),
    },
  ],
  "DELETE /api/conversations/[id]/members/[userId]": [
    {
      label: "remove a member",
      perTarget: true,
      mutates: true,
      expect: byVerb("removeMembers"),
      request: (c) => ({ path: conversationPath(c, `/members/${c.fixture!.member.user.id}`) }),
      status: 204,
      effect: (s, c) =>
        withMembers(
          s,
          s.memberIds.filter((id) => id !== c.fixture!.member.user.id),
        ),
    },
  ],
  "GET /api/conversations/[id]/messages": [
    {
      label: "read history",
      perTarget: true,
      mutates: false,
      expect: byVerb("read"),
      request: (c) => ({ path: conversationPath(c, "/messages") }),
      status: 200,
      verify: (body) => expect(parse(messagePageSchema, body).messages.map((m) => m.text)).toContain("hello"),
    },
  ],
  "POST /api/conversations/[id]/messages": [
    {
      label: "post",
      perTarget: true,
      mutates: true,
      expect: byVerb("post"),
      request: (c) => ({
        path: conversationPath(c, "/messages"),
        json: { clientMessageId: randomUUID(), text: `posted ${c.tag}` },
      }),
      status: 201,
      effect: (s, c) => ({ ...s, texts: [...s.texts, `posted ${c.tag}`] }),
    },
  ],
  "POST /api/conversations/[id]/messages/[seq]/replies": [
    {
      ...replyCase,
      request: (c) => ({
        path: conversationPath(c, `/messages/${c.messageSeq ?? 1}/replies`),
        json: { clientMessageId: randomUUID(), text: `reply ${c.tag}` },
      }),
      status: 201,
      verify: (body, c) => verifyReply(parse(z.object({ message: z.unknown() }), body).message, c),
    },
  ],
  "PUT /api/conversations/[id]/messages/[seq]/follow": [
    {
      ...followCase,
      request: (c) => ({
        path: conversationPath(c, `/messages/${c.messageSeq ?? 1}/follow`),
        json: { following: true },
      }),
      status: 200,
    },
  ],
  "GET /api/threads": [{ ...listThreadsCase, request: () => ({ path: "/api/threads" }), status: 200 }],
  "PATCH /api/conversations/[id]/messages/[seq]": [
    {
      ...editCase,
      request: (c) => ({ path: messagePath(c), json: { text: `edited ${c.tag}` } }),
      status: 200,
      verify: (body, c) => expect(messageOf(body).text).toBe(`edited ${c.tag}`),
    },
  ],
  "DELETE /api/conversations/[id]/messages/[seq]": [
    {
      ...deleteCase,
      request: (c) => ({ path: messagePath(c) }),
      status: 200,
      verify: (body) => expect(messageOf(body)).toMatchObject({ text: "", deletedAt: expect.any(String) }),
    },
  ],
  "POST /api/conversations/[id]/private": [
    {
      label: "make private",
      perTarget: true,
      mutates: true,
      expect: byVerb("makePrivate"),
      request: (c) => ({ path: conversationPath(c, "/private") }),
      status: 200,
      effect: (s) => ({ ...s, isPrivate: true }),
    },
  ],
};

/** Someone's own change stream is theirs alone. */
const ownStreamOnly =
  (own: boolean): Expectation =>
  (actor) =>
    isLocked(actor)
      ? { allowed: false, refusal: "unauthorized" }
      : own
        ? { allowed: true }
        : { allowed: false, refusal: "not_found" };

/**
 * A row for every client event in server/realtime/handle-events.ts. A caller
 * without a live session never gets a socket: for them every event is a
 * handshake refused as unauthorized.
 */
export const eventRows: Record<string, EventCase[]> = {
  "thread:reply": [
    {
      ...replyCase,
      payload: (c) => ({
        conversationId: c.fixture!.id,
        rootSeq: c.messageSeq ?? 1,
        clientMessageId: randomUUID(),
        text: `reply ${c.tag}`,
      }),
      verify: verifyReply,
    },
  ],
  "thread:follow": [
    { ...followCase, payload: (c) => ({ conversationId: c.fixture!.id, rootSeq: c.messageSeq ?? 1, following: true }) },
  ],
  "threads:list": [{ ...listThreadsCase, payload: () => ({}) }],
  "message:send": [
    {
      label: "post",
      perTarget: true,
      mutates: true,
      expect: byVerb("post"),
      payload: (c) => ({ conversationId: c.fixture!.id, clientMessageId: randomUUID(), text: `sent ${c.tag}` }),
      effect: (s, c) => ({ ...s, texts: [...s.texts, `sent ${c.tag}`] }),
      verify: (data, c) => expect(parse(messageSchema, data).text).toBe(`sent ${c.tag}`),
    },
  ],
  "messages:history": [
    {
      label: "read history",
      perTarget: true,
      mutates: false,
      expect: byVerb("read"),
      payload: (c) => ({ conversationId: c.fixture!.id }),
      verify: (data) => expect(parse(messagePageSchema, data).messages.map((m) => m.text)).toContain("hello"),
    },
  ],
  "conversations:list": [
    {
      label: "the sidebar lists the caller's conversations only",
      perTarget: true,
      mutates: false,
      expect: signedIn,
      payload: () => ({}),
      verify: (data, c) => {
        const ids = parse(sidebarSchema, parseJsonBytes(data as JsonBytes)).conversations.map((s) => s.id);
        expect(ids.includes(c.fixture!.id)).toBe(startsAsMember(c.actor, c.target!));
      },
    },
  ],
  "message:edit": [
    {
      ...editCase,
      payload: (c) => ({ conversationId: c.fixture!.id, seq: c.messageSeq ?? 1, text: `edited ${c.tag}` }),
      verify: (data, c) => expect(parse(messageSchema, data).text).toBe(`edited ${c.tag}`),
    },
  ],
  "message:delete": [
    {
      ...deleteCase,
      payload: (c) => ({ conversationId: c.fixture!.id, seq: c.messageSeq ?? 1 }),
      verify: (data) => expect(parse(messageSchema, data)).toMatchObject({ text: "", deletedAt: expect.any(String) }),
    },
  ],
  "message:remove-preview": [
    {
      label: "remove the link preview of the creator's message",
      perTarget: true,
      mutates: true,
      expect: byVerb("removePreview"),
      setup: creatorsMessage,
      payload: (c) => ({ conversationId: c.fixture!.id, seq: c.messageSeq ?? 1 }),
      verify: (data, c) =>
        expect(parse(messageSchema, data)).toMatchObject({ text: `message ${c.tag}`, linkPreview: null }),
    },
  ],
  "reaction:add": [
    {
      label: "react to the creator's message",
      perTarget: true,
      mutates: true,
      expect: byVerb("react"),
      setup: creatorsMessage,
      payload: (c) => ({ conversationId: c.fixture!.id, seq: c.messageSeq ?? 1, emoji: "🎉" }),
      effect: (s, c) => ({ ...s, reactions: [...s.reactions, `message ${c.tag} 🎉 1`] }),
      verify: (data, c) => expect(data).toEqual([{ emoji: "🎉", userIds: [callerId(c)] }]),
    },
  ],
  "reaction:remove": [
    {
      label: "take back a reaction to the creator's message",
      perTarget: true,
      mutates: true,
      expect: byVerb("react"),
      setup: reactedMessage,
      payload: (c) => ({ conversationId: c.fixture!.id, seq: c.messageSeq ?? 1, emoji: "🎉" }),
      effect: (s, c) => ({ ...s, reactions: s.reactions.filter((r) => r !== `message ${c.tag} 🎉 1`) }),
      verify: (data) => expect(data).toEqual([]),
    },
  ],
  "changes:list": [
    {
      label: "a conversation's changes",
      perTarget: true,
      mutates: false,
      expect: byVerb("read"),
      payload: (c) => ({ streams: [{ id: c.fixture!.id, after: 0 }] }),
      verify: (data, c) =>
        expect(parse(changePageSchema, parseJsonBytes(data as JsonBytes)).streams.map((s) => s.id)).toEqual([
          c.fixture!.id,
        ]),
    },
    {
      label: "one's own changes",
      perTarget: false,
      mutates: false,
      expect: ownStreamOnly(true),
      payload: (c) => ({ streams: [{ id: callerId(c), after: 0 }] }),
    },
    {
      label: "someone else's own changes",
      perTarget: false,
      mutates: false,
      expect: ownStreamOnly(false),
      payload: (c) => {
        const other = c.caller === c.world.admin ? c.world.pool[0]! : c.world.admin;
        return { streams: [{ id: other.user.id, after: 0 }] };
      },
    },
  ],
  "conversation:read": [
    {
      label: "mark read",
      perTarget: true,
      mutates: true,
      expect: byVerb("markRead"),
      payload: (c) => ({ conversationId: c.fixture!.id, seq: 1 }),
      verify: (data) => expect(data).toEqual({ lastReadSeq: 1 }),
    },
  ],
};
