import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getWorkspace } from "@/server/accounts/get-workspace";
import { userFromCookieHeader } from "@/server/auth/current-user";

export const metadata = { title: "Sign in · Parley" };

export default async function SignInPage() {
  const [user, workspace] = await Promise.all([userFromCookieHeader((await headers()).get("cookie")), getWorkspace()]);
  if (user) redirect("/");
  if (workspace.needsSetup) redirect("/signup");
  return <SignInForm workspaceName={workspace.name ?? "Parley"} />;
}
