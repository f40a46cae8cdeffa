import { AppError } from "@/server/errors";

export type PreviewRefusal =
  /** Not an http(s) URL, credentials in it, or too long. */
  | "unsupported_url"
  /** A name that can only be internal (localhost, cloud metadata, single label). */
  | "internal_host"
  /** The host is, or resolved to at least one, address that is not public. */
  | "private_address"
  | "unresolvable_host"
  | "too_many_redirects"
  | "timeout"
  /** The connection failed or broke off, or the response was malformed. */
  | "fetch_failed";

/** Why no preview could be fetched; the URL came from a message, so it is the sender's input. */
export class LinkPreviewError extends AppError {
  constructor(
    readonly reason: PreviewRefusal,
    message: string,
  ) {
    super("bad_request", message);
  }
}
