import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getWorkspace } from "@/server/accounts/get-workspace";
import { userFromCookieHeader } from "@/server/auth/current-user";

export const metadata = { title: "Sign up · Parley" };

export default async function SignUpPage() {
  const [user, workspace] = await Promise.all([userFromCookieHeader((await headers()).get("cookie")), getWorkspace()]);
  if (user) redirect("/");
  return <SignUpForm workspaceName={workspace.name} />;
}
