import { eq } from "drizzle-orm";
import { workspace } from "@/drizzle/schema";
import { updateWorkspaceSettingsInput, type WorkspaceSettings } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { authorizeWorkspace } from "@/server/policy/access-workspace";

const columns = { messageEditWindowSeconds: workspace.messageEditWindowSeconds };

/** The workspace's settings, for an admin. */
export async function getWorkspaceSettings(user: SessionUser): Promise<WorkspaceSettings> {
  authorizeWorkspace(user, "changeSettings");
  const [row] = await db().select(columns).from(workspace).where(eq(workspace.id, 1));
  return { messageEditWindowSeconds: row?.messageEditWindowSeconds ?? null };
}

/**
 * Changes the workspace's settings (an admin only). The server reads them
 * where they apply (the edit window when a message is edited), so a change
 * holds from the next request on, on every process.
 */
export async function updateWorkspaceSettings(user: SessionUser, input: unknown): Promise<WorkspaceSettings> {
  // Who may comes first: a member learns nothing of what the settings accept.
  authorizeWorkspace(user, "changeSettings");
  const changes = updateWorkspaceSettingsInput.parse(input);
  const [row] = await db().update(workspace).set(changes).where(eq(workspace.id, 1)).returning(columns);
  return { messageEditWindowSeconds: row?.messageEditWindowSeconds ?? null };
}
