import { createHash } from "node:crypto";

/**
 * The clientMessageId of a reply's copy in the conversation ("also send to the channel"): a UUID
 * (version 5's layout) made from the reply's, so that it is unique and the same on a resend, and so
 * that the copy is found from its reply by the (sender, clientMessageId) index.
 */
export function copyId(clientMessageId: string): string {
  const hex = createHash("sha1").update(`parley.also-sent:${clientMessageId}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
