import { z } from "@/lib/zod";

export const MAX_PREVIEW_TITLE_LENGTH = 300;
export const MAX_PREVIEW_DESCRIPTION_LENGTH = 1_000;
export const MAX_PREVIEW_SITE_NAME_LENGTH = 200;
export const MAX_PREVIEW_URL_LENGTH = 2_048;

const webUrl = z.url({ protocol: /^https?$/ }).max(MAX_PREVIEW_URL_LENGTH);
const previewText = (max: number) => z.string().min(1).max(max);

/**
 * What a page says about itself, from its Open Graph, Twitter card and plain
 * HTML tags. `url` is the page described: where the link led after redirects.
 * The image is only a URL the page named; nothing here has fetched it.
 */
export const linkPreviewSchema = z.object({
  url: webUrl,
  title: previewText(MAX_PREVIEW_TITLE_LENGTH),
  description: previewText(MAX_PREVIEW_DESCRIPTION_LENGTH).nullable(),
  imageUrl: webUrl.nullable(),
  siteName: previewText(MAX_PREVIEW_SITE_NAME_LENGTH).nullable(),
});
export type LinkPreview = z.infer<typeof linkPreviewSchema>;
