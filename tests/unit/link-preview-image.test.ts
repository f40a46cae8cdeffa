import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { IMAGE_MAX_BYTES, toPreviewImage } from "@/server/link-previews/preview-image";

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#c33" } });

describe("toPreviewImage", () => {
  it("makes a WebP at most 360 px on its longest side, named by the hash of its bytes", async () => {
    const made = await toPreviewImage(await solid(800, 400).png().toBuffer());
    expect(made).toMatchObject({ width: 360, height: 180, id: expect.stringMatching(/^[\w-]{43}$/) });
    const meta = await sharp(made!.bytes).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: "webp",
      width: 360,
      height: 180,
    });
    expect((await toPreviewImage(await solid(800, 400).png().toBuffer()))!.id).toBe(made!.id);
  });

  it("never enlarges a small image", async () => {
    expect(await toPreviewImage(await solid(120, 40).jpeg().toBuffer())).toMatchObject({ width: 120, height: 40 });
  });

  it("stands a photo upright and keeps none of its metadata", async () => {
    // EXIF orientation 6: the camera was turned; the pixels are 200 wide and 100 high, shown 100 by 200.
    const photo = await solid(200, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const made = await toPreviewImage(photo);
    expect(made).toMatchObject({ width: 100, height: 200 });
    const meta = await sharp(made!.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it("refuses SVG, whatever it is called, and what is not an image", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>');
    expect(await toPreviewImage(svg)).toBeNull();
    expect(await toPreviewImage(Buffer.from("<!doctype html><title>no</title>"))).toBeNull();
    expect(await toPreviewImage(Buffer.alloc(0))).toBeNull();
    const png = await solid(50, 50).png().toBuffer();
    expect(await toPreviewImage(png.subarray(0, png.length / 2))).toBeNull();
  });

  it("refuses an image of more than 16 megapixels without decoding it, however small its file is", async () => {
    // 20 MP of one color: a PNG well under the size limit, of the kind that took 230 to 330 ms to decode at 40 MP.
    const large = await solid(5_000, 4_000).png().toBuffer();
    expect(large.length).toBeLessThan(IMAGE_MAX_BYTES / 10);
    expect(await toPreviewImage(large)).toBeNull();
    expect(await toPreviewImage(await solid(4_000, 4_000).png().toBuffer())).toMatchObject({ width: 360, height: 360 });
  });
});
