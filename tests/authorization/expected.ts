/**
 * What each kind of caller may do with each kind of conversation, written
 * from the product's rules (docs/architecture.md, issue 22) rather than from
 * lib/policy/rules.ts, so that the matrix checks the server against an
 * independent statement of them.
 */

/** Who is asking, as the matrix casts them. */
export const actorKinds = ["signedOut", "revoked", "deactivated", "nonMember", "member", "creator", "admin"] as const;
export type ActorKind = (typeof actorKinds)[number];

/** What they ask about. */
export const targetKinds = [
  "publicChannel",
  "privateChannel",
  "othersDm",
  "othersGroup",
  "archivedChannel",
  "general",
] as const;
export type TargetKind = (typeof targetKinds)[number];

/** The things one may try to do with a conversation. */
export type Verb =
  | "view"
  | "read"
  | "post"
  | "markRead"
  | "listMembers"
  | "join"
  | "leave"
  | "addMembers"
  | "removeMembers"
  | "rename"
  | "editTopic"
  | "archive"
  | "unarchive"
  | "makePrivate"
  /** Keep @channel and @here for the channel's creator and admins. */
  | "restrictMentions"
  /** Of a message the conversation's creator sent. */
  | "editMessage"
  | "deleteMessage"
  | "react"
  | "removePreview";

export type Refusal = "unauthorized" | "not_found" | "forbidden";
export type Verdict = { allowed: true } | { allowed: false; refusal: Refusal };

/** Signed out, signed out elsewhere, or switched off by an admin: no request of theirs gets past the door. */
export const isLocked = (actor: ActorKind) => actor === "signedOut" || actor === "revoked" || actor === "deactivated";

/**
 * A combination that cannot exist: everyone is in #general, so nobody is a
 * non-member of it. (Its creator is the admin: both actors are the same person there.)
 */
export const meaningless = (actor: ActorKind, target: TargetKind) => actor === "nonMember" && target === "general";

type Facts = {
  channel: boolean;
  /** A public channel: anyone may see it and join it. */
  open: boolean;
  archived: boolean;
  general: boolean;
  member: boolean;
  /** The channel's creator or an admin. */
  manager: boolean;
  admin: boolean;
  /** Sent the message asked about: the conversation's creator sends it. */
  sender: boolean;
};

function factsOf(actor: ActorKind, target: TargetKind): Facts {
  const channel = target.endsWith("Channel") || target === "general";
  const member = actor === "member" || actor === "creator" || target === "general";
  return {
    channel,
    open: channel && target !== "privateChannel",
    archived: target === "archivedChannel",
    general: target === "general",
    member,
    // The first person to sign up is the admin and made #general.
    manager: actor === "creator" || actor === "admin",
    admin: actor === "admin" || (actor === "creator" && target === "general"),
    // #general's creator is the admin, the same person as the admin actor there.
    sender: actor === "creator" || (actor === "admin" && target === "general"),
  };
}

/** Everything a verb needs; the first unmet need refuses it as forbidden. */
const needs: Record<Verb, ((f: Facts) => boolean)[]> = {
  view: [],
  read: [(f) => f.member],
  listMembers: [(f) => f.member],
  markRead: [(f) => f.member],
  post: [(f) => f.member, (f) => !f.archived],
  join: [(f) => f.channel, (f) => !f.archived],
  leave: [(f) => f.member, (f) => f.channel, (f) => !f.general],
  addMembers: [(f) => f.member, (f) => f.channel, (f) => !f.archived],
  removeMembers: [(f) => f.channel, (f) => f.manager, (f) => !f.general, (f) => !f.archived],
  rename: [(f) => f.channel, (f) => f.manager, (f) => !f.archived],
  editTopic: [(f) => f.member, (f) => f.channel, (f) => !f.archived],
  archive: [(f) => f.channel, (f) => f.manager, (f) => !f.general],
  unarchive: [(f) => f.channel, (f) => f.manager],
  makePrivate: [(f) => f.member, (f) => f.channel, (f) => f.admin, (f) => !f.general, (f) => !f.archived],
  restrictMentions: [(f) => f.channel, (f) => f.manager, (f) => !f.archived],
  editMessage: [(f) => f.member, (f) => !f.archived, (f) => f.sender],
  deleteMessage: [(f) => f.member, (f) => !f.archived, (f) => f.sender || f.admin],
  react: [(f) => f.member, (f) => !f.archived],
  removePreview: [(f) => f.member, (f) => !f.archived, (f) => f.sender],
};

/**
 * The answer an actor gets for a verb on a target. Someone who may not know a
 * conversation exists (a private channel or someone else's direct or group
 * message, admins included) is told it does not, whatever they ask.
 */
export function verdict(actor: ActorKind, target: TargetKind, verb: Verb): Verdict {
  if (isLocked(actor)) return { allowed: false, refusal: "unauthorized" };
  const facts = factsOf(actor, target);
  if (!facts.member && !facts.open) return { allowed: false, refusal: "not_found" };
  return needs[verb].every((need) => need(facts)) ? { allowed: true } : { allowed: false, refusal: "forbidden" };
}

/** Whether the actor is in the target's member list before anything happens. */
export const startsAsMember = (actor: ActorKind, target: TargetKind) => factsOf(actor, target).member;

export const statusOf: Record<Refusal, number> = { unauthorized: 401, forbidden: 403, not_found: 404 };
