import type { Workspace } from "@/lib/protocol";
import { workspace } from "@/drizzle/schema";
import { db } from "@/server/db/client";

export async function getWorkspace(): Promise<Workspace> {
  const [row] = await db().select({ name: workspace.name }).from(workspace).limit(1);
  return { name: row?.name ?? null, needsSetup: !row };
}
