import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getWorkspace } from "@/server/accounts/get-workspace";
import { userFromCookieHeader } from "@/server/auth/current-user";

/** The front door: sign-up on a fresh install, sign-in when signed out, otherwise #general. */
export default async function Home() {
  const [user, workspace] = await Promise.all([userFromCookieHeader((await headers()).get("cookie")), getWorkspace()]);
  if (workspace.needsSetup) redirect("/signup");
  if (!user || !workspace.defaultChannelId) redirect("/signin");
  redirect(`/c/${workspace.defaultChannelId}`);
}
