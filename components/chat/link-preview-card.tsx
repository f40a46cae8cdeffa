"use client";

import { useState } from "react";
import type { LinkPreview } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { isSafeHref } from "@/lib/markdown/safe-href";
import styles from "./message-actions.module.css";

/**
 * The preview card of a message's first link: site, title (the link), description, and the page's image as
 * Parley's own copy (the page's site never learns who reads the chat, and the policy allows images from
 * Parley only). The sender may remove the card.
 */
export function LinkPreviewCard({
  preview,
  onRemove,
}: {
  preview: LinkPreview;
  /** Given to the sender only. */
  onRemove?: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  if (!isSafeHref(preview.url)) return null;
  return (
    <aside className={styles.preview} aria-label={`Link preview: ${preview.title}`}>
      {preview.siteName && <p className={styles.previewSite}>{preview.siteName}</p>}
      <a className={styles.previewTitle} href={preview.url} target="_blank" rel="noopener noreferrer">
        {preview.title}
      </a>
      {preview.description && <p className={styles.previewDescription}>{preview.description}</p>}
      {preview.image && (
        // The title says what the image is about; the image adds nothing a screen reader should read.
        <img
          className={styles.previewImage}
          src={`/api/link-previews/images/${preview.image.id}`}
          width={preview.image.width}
          height={preview.image.height}
          alt=""
          loading="lazy"
          decoding="async"
        />
      )}
      {onRemove && (
        <button
          type="button"
          className={styles.previewRemove}
          aria-label="Remove preview"
          title="Remove preview"
          onClick={() =>
            onRemove().catch((caught: unknown) =>
              setError(caught instanceof ApiError ? caught.message : "The preview could not be removed. Try again."),
            )
          }
        >
          <span aria-hidden>×</span>
        </button>
      )}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </aside>
  );
}
