import { getWorkspaceSettings, updateWorkspaceSettings } from "@/server/accounts/workspace-settings";
import { readJson, userRoute } from "@/server/http/route";

export const GET = userRoute(({ user }) => getWorkspaceSettings(user));

export const PATCH = userRoute(async ({ user, request }) => updateWorkspaceSettings(user, await readJson(request)));
