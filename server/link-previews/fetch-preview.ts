import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { IncomingMessage } from "node:http";
import type { LinkPreview } from "@/lib/protocol";
import { allowedAddresses, fetchPublic, type FetchPreviewOptions } from "./fetch-public";
import { readHead } from "./read-head";

export type { FetchPreviewOptions } from "./fetch-public";

export const PREVIEW_MAX_BYTES = 512 * 1024;

/**
 * Fetches a link's page and reads its preview. Null when the page has none
 * (not HTML, no title, an error status); LinkPreviewError when the link may
 * not or could not be fetched (`fetchPublic`).
 */
export function fetchPreview(url: string, options: FetchPreviewOptions = {}): Promise<LinkPreview | null> {
  return fetchPublic(url, options, (at, response) =>
    previewOf(at, response, options.maxBytes ?? PREVIEW_MAX_BYTES, allowedAddresses(options)),
  );
}

async function previewOf(
  url: URL,
  response: IncomingMessage,
  maxBytes: number,
  isAllowedAddress: (address: string) => boolean,
): Promise<LinkPreview | null> {
  const status = response.statusCode ?? 0;
  const [mediaType, ...parameters] = (response.headers["content-type"] ?? "").split(";");
  if (status < 200 || status > 299 || mediaType?.trim().toLowerCase() !== "text/html") return null;
  const body = decoded(response);
  if (!body) return null;
  const charset = parameters.map((parameter) => /^\s*charset\s*=\s*"?([^"\s]+)"?/i.exec(parameter)?.[1]).find(Boolean);
  return (await readHead(body, charset ?? null, maxBytes)).preview(url, isAllowedAddress);
}

/** The body as HTML bytes, or null for a content coding Parley did not ask for and cannot undo. */
function decoded(response: IncomingMessage): Readable | null {
  const coding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (coding === "identity") return response;
  const decompress = { gzip: createGunzip, "x-gzip": createGunzip, deflate: createInflate, br: createBrotliDecompress }[
    coding
  ];
  // Errors reach the reader: pipeline destroys the last stream with them.
  return decompress ? pipeline(response, decompress(), () => {}) : null;
}
