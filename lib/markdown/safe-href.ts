// The one place that decides what a message may link to: full http(s) URLs and mailto, nothing that
// could run code (javascript:, data:, vbscript:) or leave for another app or a protocol-relative host.
const SAFE_HREF = /^(?:https?:\/\/[^\s/?#\\]|mailto:[^\s])/i;

export function isSafeHref(href: string): boolean {
  return SAFE_HREF.test(href);
}
