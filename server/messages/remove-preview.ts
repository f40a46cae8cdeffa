import { removePreviewInput, type Message } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { rewriteMessage } from "./rewrite-message";

/** Takes the link preview off one of your messages; none is fetched for it again. */
export function removePreview(user: SessionUser, input: unknown): Promise<Message> {
  const ref = removePreviewInput.parse(input);
  return rewriteMessage(user, ref, "removePreview", { linkPreview: null, linkPreviewRemoved: true });
}
