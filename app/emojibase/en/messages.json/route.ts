import messages from "emojibase-data/en/messages.json" with { type: "json" };
import { staticJson } from "../../static-json";

// The picker's category and skin tone names, beside its data (see ../data.json/route.ts).
export const dynamic = "force-static";

export function GET(): Response {
  return staticJson(messages);
}
