import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ChatProvider } from "@/components/chat/chat-provider";
import { ChatShell } from "@/components/chat/chat-shell";
import { getWorkspace } from "@/server/accounts/get-workspace";
import { userFromCookieHeader } from "@/server/auth/current-user";

/** The tab's title before any unread: ChatShell keeps it, with the unread count, from then on. */
export async function generateMetadata(): Promise<Metadata> {
  return { title: `${(await getWorkspace()).name ?? "Parley"} | Parley` };
}

export default async function ChatLayout({ children }: { children: React.ReactNode }) {
  const [user, workspace] = await Promise.all([userFromCookieHeader((await headers()).get("cookie")), getWorkspace()]);
  if (!user) redirect("/signin");
  return (
    <ChatProvider
      user={{ id: user.id, name: user.name, email: user.email, role: user.role }}
      workspaceName={workspace.name ?? "Parley"}
    >
      <ChatShell>{children}</ChatShell>
    </ChatProvider>
  );
}
