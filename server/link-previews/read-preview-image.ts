import { eq } from "drizzle-orm";
import { linkPreviewImages } from "@/drizzle/schema";
import { previewImageSchema } from "@/lib/protocol";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";

/**
 * A preview's image, for anyone signed in: it is a copy of an image a public
 * page shows to anyone, and its name is the hash of its bytes, which only
 * someone who saw a preview with it knows. Named by its content, it never
 * changes, so browsers keep it for good.
 */
export async function readPreviewImage(id: unknown): Promise<Response> {
  const parsed = previewImageSchema.shape.id.safeParse(id);
  if (!parsed.success) throw new AppError("not_found", "This image does not exist");
  const [row] = await db()
    .select({ bytes: linkPreviewImages.bytes })
    .from(linkPreviewImages)
    .where(eq(linkPreviewImages.id, parsed.data));
  if (!row) throw new AppError("not_found", "This image does not exist");
  return new Response(new Uint8Array(row.bytes), {
    headers: {
      "content-type": "image/webp",
      "cache-control": "private, max-age=31536000, immutable",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
