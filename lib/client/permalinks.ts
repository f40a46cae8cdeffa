/**
 * A message's link: its conversation's page with the message's sequence number, `/c/<id>?m=<seq>`.
 * Numbers never change, so the link stays good through edits and deletion. A thread reply's link will name
 * its root here as well (`&t=<rootSeq>`); a page that does not know the parameter opens the conversation.
 */
export function messagePath(conversationId: string, seq: number): string {
  return `/c/${conversationId}?m=${seq}`;
}

/** The `m` parameter: none, a message's number, or something no message is called (shown as not found). */
export function linkedSeq(param: string | string[] | undefined): number | null | "invalid" {
  if (param === undefined) return null;
  if (typeof param !== "string" || !/^[1-9]\d{0,14}$/.test(param)) return "invalid";
  return Number(param);
}
