import { ThreadsView } from "@/components/chat/threads-view";

export default function ThreadsPage() {
  return <ThreadsView />;
}
