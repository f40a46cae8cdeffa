import { ConversationView } from "@/components/chat/conversation-view";
import { linkedReply, linkedSeq } from "@/lib/client/permalinks";

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ m?: string | string[]; t?: string | string[] }>;
}) {
  const [{ id }, { m, t }] = await Promise.all([params, searchParams]);
  return <ConversationView key={id} conversationId={id} linked={linkedSeq(m)} linkedReply={linkedReply(m, t)} />;
}
