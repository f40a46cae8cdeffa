import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mentionTokens } from "@/lib/markdown/mentions";
import { parseMessage, scanMessage } from "@/lib/markdown/parse";
import { xssPayloads } from "../fixtures/xss-corpus";

const USER = "<@0b7c2f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f>";
const CHANNEL = "<#1c8d3a5f-2b3c-4d4e-9f0a-1b2c3d4e5f6a>";
// Pieces that open, close or escape every construct of the subset, mentions and links among them.
const PIECES = [
  USER,
  CHANNEL,
  "<!channel>",
  "<!here>",
  "<@",
  "<",
  ">",
  "*",
  "**",
  "_",
  "__",
  "~~",
  "`",
  "``",
  "```",
  "```js\n",
  "[",
  "]",
  "](",
  ")",
  "(",
  "https://a.example/x",
  "http://b.example",
  "mailto:c@d.example",
  "c@d.example",
  "\\",
  "\n",
  "\n\n",
  "> ",
  "- ",
  "1. ",
  "  ",
  " ",
  "word",
  "<https://e.example>",
  "javascript:x",
  ":tada:",
];

const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(""));

/**
 * The server finds mentions with a parse that leaves out emphasis and strike (server/messages/mention-rows.ts):
 * it must find what the reader sees.
 */
describe("the server's scans of a message", () => {
  const agree = (t: string) => {
    expect(mentionTokens(scanMessage(t))).toEqual(mentionTokens(parseMessage(t)));
  };

  it("find the mentions the rendered message shows, for any mix of the subset", () => {
    fc.assert(
      fc.property(text, (t) => agree(t)),
      { numRuns: 3_000 },
    );
  });

  it("agree with the rendered message on every payload of the XSS corpus", () => {
    for (const payload of xssPayloads()) agree(`${USER} ${payload} https://a.example ${payload}`);
  });
});
