import { z } from "@/lib/zod";

export const MAX_PREVIEW_TITLE_LENGTH = 300;
export const MAX_PREVIEW_DESCRIPTION_LENGTH = 1_000;
export const MAX_PREVIEW_SITE_NAME_LENGTH = 200;
export const MAX_PREVIEW_URL_LENGTH = 2_048;

const webUrl = z.url({ protocol: /^https?$/ }).max(MAX_PREVIEW_URL_LENGTH);
const previewText = (max: number) => z.string().min(1).max(max);

/** The image of a preview as Parley keeps it (`GET /api/link-previews/images/:id`): a WebP of this size. */
export const previewImageSchema = z.object({
  /** The SHA-256 of its bytes, base64url. */
  id: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Unknown image"),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type PreviewImage = z.infer<typeof previewImageSchema>;

/**
 * What a page says about itself, from its Open Graph, Twitter card and plain
 * HTML tags. `url` is the page described: where the link led after redirects.
 * `imageUrl` is the image the page named; `image`, Parley's copy of it, once
 * fetched (null: none, or it could not be fetched or read as an image).
 */
export const linkPreviewSchema = z.object({
  url: webUrl,
  title: previewText(MAX_PREVIEW_TITLE_LENGTH),
  description: previewText(MAX_PREVIEW_DESCRIPTION_LENGTH).nullable(),
  imageUrl: webUrl.nullable(),
  // Previews stored before images were kept have none.
  image: previewImageSchema.nullable().default(null),
  siteName: previewText(MAX_PREVIEW_SITE_NAME_LENGTH).nullable(),
});
export type LinkPreview = z.infer<typeof linkPreviewSchema>;
