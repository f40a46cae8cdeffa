import { ConversationView } from "@/components/chat/conversation-view";
import { linkedSeq } from "@/lib/client/permalinks";

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ m?: string | string[] }>;
}) {
  const [{ id }, { m }] = await Promise.all([params, searchParams]);
  return <ConversationView key={id} conversationId={id} linked={linkedSeq(m)} />;
}
