import data from "emojibase-data/en/data.json" with { type: "json" };
import { pickerEmojiData } from "@/lib/emoji/picker-data";
import { staticJson } from "../../static-json";

// The emoji picker's data, from the emojibase-data that the server's catalog uses, so that the picker
// offers what the server accepts and no browser fetches it from a CDN. Rendered once, at build.
export const dynamic = "force-static";

export function GET(): Response {
  return staticJson(pickerEmojiData(data));
}
