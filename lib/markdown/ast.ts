/** A message's text as Parley renders it: the Markdown subset, with nothing in it that can hold markup. */
export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "codeBlock"; lang: string; text: string }
  | { type: "list"; ordered: boolean; start: number; items: ListItem[] }
  | { type: "quote"; children: Block[] };

/** Tight list items hold their text without paragraphs, as typed; loose ones hold paragraphs. */
export type ListItem = { children: Block[]; tight: boolean };

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong" | "em" | "strike"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "break" }
  | { type: "mention"; mention: Mention };

export type Mention =
  { kind: "user"; id: string } | { kind: "channel"; id: string } | { kind: "everyone"; scope: "channel" | "here" };
