import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import sharp from "sharp";
import type { PreviewImage } from "@/lib/protocol";
import { fetchPublic, type FetchPreviewOptions } from "./fetch-public";

/** The most of an image read: past it, the preview goes without. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/**
 * The most pixels decoded, so that a small file that unpacks to a huge image costs nothing: sharp refuses
 * it from its header. A 40 MP PNG of 128 KB took 230 to 330 ms to decode; 16 MP is still far more than a
 * 360 px card needs.
 */
const IMAGE_MAX_PIXELS = 16_000_000;
/** The longest side of the image Parley keeps: the card shows it at most this wide. */
export const IMAGE_SIDE = 360;
/** What the bytes must turn out to be, whatever the response said: never SVG, which can hold script. */
const FORMATS = new Set(["jpeg", "png", "gif", "webp", "avif", "heif"]);
const MEDIA_TYPES = /^image\/(jpeg|png|gif|webp|avif)$/;

export type MadeImage = PreviewImage & { bytes: Buffer };

/**
 * Fetches the image a page named, as the page was fetched (public addresses
 * only, every redirect checked, one time limit), and makes Parley's copy of
 * it (`toPreviewImage`). Null when it is not such an image or is too large;
 * LinkPreviewError when it may not or could not be fetched.
 */
export function fetchPreviewImage(url: string, options: FetchPreviewOptions = {}): Promise<MadeImage | null> {
  return fetchPublic(url, options, async (_url, response) => {
    const status = response.statusCode ?? 0;
    const mediaType = (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (status < 200 || status > 299 || !MEDIA_TYPES.test(mediaType)) return null;
    const bytes = await readAtMost(response, IMAGE_MAX_BYTES);
    return bytes && toPreviewImage(bytes);
  });
}

/**
 * A small WebP of an image's first frame, upright, at most IMAGE_SIDE on its
 * longest side, with none of the original's metadata; null for anything that
 * does not decode as a bitmap image of an allowed format.
 */
export async function toPreviewImage(input: Buffer): Promise<MadeImage | null> {
  try {
    const image = sharp(input, { limitInputPixels: IMAGE_MAX_PIXELS, failOn: "error" });
    const { format } = await image.metadata();
    if (!FORMATS.has(format)) return null;
    const { data, info } = await image
      .rotate()
      .resize(IMAGE_SIDE, IMAGE_SIDE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return {
      id: createHash("sha256").update(data).digest("base64url"),
      width: info.width,
      height: info.height,
      bytes: data,
    };
  } catch {
    return null;
  }
}

/** The whole body, or null once it is longer than `max` (told by Content-Length or found reading). */
async function readAtMost(response: IncomingMessage, max: number): Promise<Buffer | null> {
  if (Number(response.headers["content-length"] ?? 0) > max) return null;
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > max) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
