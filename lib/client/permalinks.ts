/**
 * A message's link: its conversation's page with the message's sequence number, `/c/<id>?m=<seq>`; a thread
 * reply's names its parent, the message replied to, and its own number in the thread (`&t=<replySeq>`).
 * Numbers never change, so the link stays good through edits and deletion.
 */
export function messagePath(conversationId: string, seq: number, replySeq?: number): string {
  return `/c/${conversationId}?m=${seq}${replySeq === undefined ? "" : `&t=${replySeq}`}`;
}

/** The `m` parameter: none, a message's number, or something no message is called (shown as not found). */
export function linkedSeq(param: string | string[] | undefined): number | null | "invalid" {
  if (param === undefined) return null;
  if (typeof param !== "string" || !/^[1-9]\d{0,14}$/.test(param)) return "invalid";
  return Number(param);
}

/**
 * The `t` parameter, a reply in the thread of the message `m` names: none, the reply's number, or something
 * no reply is called (shown as not found in the thread), as is a reply without the message it replies to.
 */
export function linkedReply(
  m: string | string[] | undefined,
  t: string | string[] | undefined,
): number | null | "invalid" {
  if (t === undefined) return null;
  return typeof linkedSeq(m) === "number" ? linkedSeq(t) : "invalid";
}
