import type { Emoji } from "emojibase";

/** Emojibase's group of skin tone and hair swatches, which the catalog does not accept as reactions. */
const COMPONENT_GROUP = 2;

export type PickerEmoji = Pick<Emoji, "emoji" | "label" | "tags" | "version" | "group" | "subgroup"> & {
  skins?: Pick<Emoji, "emoji" | "tone">[];
};

/**
 * Emojibase's full data.json with only the fields the picker reads (about half the bytes), and only the
 * emoji the catalog accepts, so that the picker never offers what the server would refuse.
 */
export function pickerEmojiData(data: readonly Emoji[]): PickerEmoji[] {
  return data
    .filter((e) => e.group !== undefined && e.group !== COMPONENT_GROUP)
    .map((e) => ({
      emoji: e.emoji,
      label: e.label,
      tags: e.tags,
      version: e.version,
      group: e.group,
      subgroup: e.subgroup,
      ...(e.skins ? { skins: e.skins.map((s) => ({ emoji: s.emoji, tone: s.tone })) } : {}),
    }));
}
