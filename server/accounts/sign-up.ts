import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { signUpInput, type SignUpInput, type User } from "@/lib/protocol";
import { conversations, users, workspace } from "@/drizzle/schema";
import { passwordProblem } from "@/lib/password-rules";
import { hashPassword } from "@/server/auth/passwords";
import { changing } from "@/server/changes/changing";
import { addMembers } from "@/server/conversations/membership";
import { type Tx } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";

export type SignUpHooks = {
  /** Runs once the input is valid, before anything is written: a mistyped form costs no attempt. */
  beforeCreating?: (data: SignUpInput) => Promise<void>;
};

/**
 * Creates an account. The first person on a fresh install also creates the
 * workspace and #general, and becomes its admin; everyone joins #general.
 *
 * An email that already has an account gets the same answer as a new one,
 * with a made-up id, and nothing is created: the answer must not tell an
 * anonymous caller who has an account. The sign-up page signs in next, which
 * works when it was the owner with their password.
 */
export async function signUp(input: unknown, { beforeCreating }: SignUpHooks = {}): Promise<User> {
  const data = signUpInput.parse(input);
  const problem = await passwordProblem(data.password, data.email, data.name);
  if (problem) throw new AppError("bad_request", `password: ${problem}`);
  await beforeCreating?.(data);
  const passwordHash = await hashPassword(data.password);
  try {
    return await insertAccount(data, passwordHash);
  } catch (error) {
    // Two first sign-ups raced to create the workspace: the loser joins the winner's.
    if (isUniqueViolation(error, "conversations_channel_name_key") || isUniqueViolation(error, "workspace_pkey")) {
      return await insertAccount(data, passwordHash);
    }
    throw error;
  }
}

async function insertAccount(data: SignUpInput, passwordHash: string): Promise<User> {
  try {
    return await insertUser(data, passwordHash);
  } catch (error) {
    if (!isUniqueViolation(error, "users_email_key")) throw error;
    return { id: randomUUID(), name: data.name, email: data.email, role: "member" };
  }
}

async function insertUser(data: SignUpInput, passwordHash: string): Promise<User> {
  return await changing(async (tx, record) => {
    const general = (await existingDefaultChannel(tx)) ?? (await createWorkspace(tx, data.workspaceName));
    const isFirst = general.created;
    const [user] = await tx
      .insert(users)
      .values({ name: data.name, email: data.email, passwordHash, role: isFirst ? "admin" : "member" })
      .returning();
    if (!user) throw new Error("User insert returned nothing");
    if (isFirst) await tx.update(conversations).set({ createdBy: user.id }).where(eq(conversations.id, general.id));
    await addMembers(tx, record, general.id, [user], isFirst ? "owner" : "member");
    return { id: user.id, name: user.name, email: user.email, role: user.role };
  });
}

async function existingDefaultChannel(tx: Tx): Promise<{ id: string; created: false } | null> {
  const [row] = await tx.select({ id: workspace.defaultChannelId }).from(workspace).limit(1);
  return row?.id ? { id: row.id, created: false } : null;
}

async function createWorkspace(tx: Tx, name: string | undefined): Promise<{ id: string; created: true }> {
  if (!name) throw new AppError("bad_request", "workspaceName: Name your workspace");
  const [general] = await tx
    .insert(conversations)
    .values({ kind: "channel", name: "general", topic: "Everyone, everything" })
    .returning({ id: conversations.id });
  if (!general) throw new Error("Channel insert returned nothing");
  // One #general and one workspace row: a concurrent first sign-up fails on one of them and rolls back.
  await tx.insert(workspace).values({ id: 1, name, defaultChannelId: general.id });
  return { id: general.id, created: true };
}
