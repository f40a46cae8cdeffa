import type { Workspace } from "@/lib/protocol";
import { workspace } from "@/drizzle/schema";
import { db } from "@/server/db/client";

export async function getWorkspace(): Promise<Workspace & { defaultChannelId: string | null }> {
  const [row] = await db().select().from(workspace).limit(1);
  return { name: row?.name ?? null, needsSetup: !row, defaultChannelId: row?.defaultChannelId ?? null };
}
