import { MentionsView } from "@/components/chat/mentions-view";

export default function MentionsPage() {
  return <MentionsView />;
}
