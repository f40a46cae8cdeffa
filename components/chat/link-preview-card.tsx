"use client";

import { useState } from "react";
import type { LinkPreview } from "@/lib/protocol";
import { ApiError } from "@/lib/client/api";
import { isSafeHref } from "@/lib/markdown/safe-href";
import styles from "./message-actions.module.css";

/**
 * The preview card of a message's first link: site, title (the link) and description, as text. The page's
 * image is not shown: the page would learn who reads the chat, and the policy allows images from Parley only.
 * The sender may remove the card.
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
