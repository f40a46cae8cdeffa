import type { MarkdownIt } from "markdown-it";
import type { Mention } from "./ast";

// What Parley stores in text for mentions; only these exact shapes are tokens, anything else stays text.
const MENTION = /^<(?:([@#])([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|!(channel|here))>/i;

export function readMention(source: string): { mention: Mention; length: number } | null {
  const match = MENTION.exec(source);
  if (!match) return null;
  const [whole, sigil, id, scope] = match;
  const mention: Mention = scope
    ? { kind: "everyone", scope: scope.toLowerCase() === "here" ? "here" : "channel" }
    : { kind: sigil === "@" ? "user" : "channel", id: id!.toLowerCase() };
  return { mention, length: whole.length };
}

/** An inline rule before autolinks, so a mention is one token and code spans keep it literal. */
export function mentionPlugin(md: MarkdownIt): void {
  md.inline.ruler.before("autolink", "mention", (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
    const found = readMention(state.src.slice(state.pos, state.pos + 64));
    if (!found) return false;
    if (!silent) state.push("mention", "", 0).meta = { mention: found.mention };
    state.pos += found.length;
    return true;
  });
}
