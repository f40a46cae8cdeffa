import { Parser } from "htmlparser2";
import type { Readable } from "node:stream";
import { PageMetadata } from "./page-metadata";

/** How much of a page is read before a `<meta charset>` is looked for, as browsers do (HTML's prescan). */
const PRESCAN_BYTES = 1_024;
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;

/**
 * Reads an HTML page's start through htmlparser2 as it arrives, and stops at
 * the first of: the body's start (the preview's tags are in the head),
 * `maxBytes` of (decompressed) HTML, or the end.
 */
export async function readHead(body: Readable, headerCharset: string | null, maxBytes: number): Promise<PageMetadata> {
  const metadata = new PageMetadata();
  const parser = new Parser(metadata, { decodeEntities: true });
  let decoder: TextDecoder | null = null;
  let pending: Buffer[] = [];
  let read = 0;

  const feed = (bytes: Buffer, last: boolean) => {
    if (!decoder) {
      pending.push(bytes);
      const start = Buffer.concat(pending);
      if (start.length < PRESCAN_BYTES && !last) return;
      decoder = textDecoder(headerCharset ?? declaredCharset(start) ?? "utf-8");
      pending = [];
      bytes = start;
    }
    parser.write(decoder.decode(bytes, { stream: !last }));
  };

  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - read;
    const bytes = chunk.length > room ? chunk.subarray(0, room) : chunk;
    read += bytes.length;
    feed(bytes, false);
    if (metadata.finished || read >= maxBytes) break;
  }
  feed(Buffer.alloc(0), true);
  parser.end();
  return metadata;
}

/** A page that could say `<meta charset>` at all is not in UTF-16, whatever it says (HTML's prescan). */
function declaredCharset(start: Buffer): string | undefined {
  const declared = META_CHARSET.exec(start.subarray(0, PRESCAN_BYTES).toString("latin1"))?.[1];
  return declared && /^utf-?16/i.test(declared) ? "utf-8" : declared;
}

function textDecoder(label: string): TextDecoder {
  try {
    return new TextDecoder(label);
  } catch {
    // An encoding no decoder knows: most such pages are UTF-8 or ASCII anyway.
    return new TextDecoder("utf-8");
  }
}
